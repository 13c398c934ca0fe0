package dev.paddock.error;

/** What kind of failure happened; the one place where failures map to CLI exit codes and HTTP statuses. */
public enum ErrorCode {
    /** Input the user can correct: a bad name, a bad flag value, a file that is not a model. */
    INVALID_INPUT(1, 400),
    /** A model file that is corrupt, truncated or hostile. */
    INVALID_MODEL(1, 422),
    /** A missing or wrong access token (server). */
    UNAUTHORIZED(1, 401),
    /** A request the server refuses whoever sends it: a foreign web origin, a Host name it does not serve (server). */
    FORBIDDEN(1, 403),
    NOT_FOUND(1, 404),
    CONFLICT(1, 409),
    /** A request body over the server's limit. */
    TOO_LARGE(1, 413),
    /** A request body that is not declared as JSON (server). */
    UNSUPPORTED_MEDIA_TYPE(1, 415),
    /** The disk or the database refused: full disk, permissions, unreachable database. */
    STORAGE(1, 507),
    /** A provider (Ollama, a cloud API, a runner) is unreachable or failed; its own message is passed on. */
    UNAVAILABLE(1, 502),
    /** The command line itself is wrong. */
    USAGE(2, 400),
    /** A bug in Paddock. */
    INTERNAL(3, 500);

    private final int exitCode;
    private final int httpStatus;

    ErrorCode(int exitCode, int httpStatus) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The wire name used in API error bodies, e.g. {@code invalid_model}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
