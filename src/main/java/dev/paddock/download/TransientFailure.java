package dev.paddock.download;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;

/**
 * A failure worth retrying: a timeout, a reset connection, a 5xx, 429 or 408 answer. Everything else (a
 * refused connection, an unknown host, a TLS mismatch, a 4xx) fails the pull at once with its reason.
 */
final class TransientFailure extends PaddockException {
    TransientFailure(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }
}
