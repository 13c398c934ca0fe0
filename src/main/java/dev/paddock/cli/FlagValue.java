package dev.paddock.cli;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.util.function.Supplier;

/** A flag's value parsed by a service: a value the service refuses is a usage error on the command line (exit 2). */
final class FlagValue {
    private FlagValue() {}

    static <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (PaddockException e) {
            if (e.code() == ErrorCode.INVALID_INPUT) {
                throw new PaddockException(ErrorCode.USAGE, e.getMessage(), e);
            }
            throw e;
        }
    }
}
