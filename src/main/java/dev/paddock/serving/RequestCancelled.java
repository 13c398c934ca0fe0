package dev.paddock.serving;

/**
 * A request its client gave up on: a gateway client that went away, a benchmark that was cancelled. Thrown
 * from a token listener, it ends the stream; the request log records it as cancelled, not as the provider's
 * error, and automatic choice does not fall back to another model for it.
 */
public final class RequestCancelled extends RuntimeException {
    public RequestCancelled(String message, Throwable cause) {
        super(message, cause);
    }

    public RequestCancelled(String message) {
        super(message);
    }
}
