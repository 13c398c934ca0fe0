package dev.paddock.gguf;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;

/** A file that is not GGUF, or not a GGUF Paddock can trust. */
public final class GgufFormatException extends PaddockException {
    public GgufFormatException(String message) {
        super(ErrorCode.INVALID_MODEL, message);
    }
}
