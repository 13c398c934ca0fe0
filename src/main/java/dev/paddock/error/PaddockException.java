package dev.paddock.error;

/**
 * The one exception type users see. Its message says what happened, repeats what the user gave and,
 * where there is something to do, says what.
 */
public class PaddockException extends RuntimeException {
    private final ErrorCode code;

    public PaddockException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public PaddockException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static PaddockException invalidInput(String message) {
        return new PaddockException(ErrorCode.INVALID_INPUT, message);
    }

    /** The command line itself is wrong: a flag's value, a missing argument (exit 2). */
    public static PaddockException usage(String message) {
        return new PaddockException(ErrorCode.USAGE, message);
    }

    public static PaddockException notFound(String message) {
        return new PaddockException(ErrorCode.NOT_FOUND, message);
    }

    public static PaddockException storage(String message, Throwable cause) {
        return new PaddockException(ErrorCode.STORAGE, message, cause);
    }
}
