package dev.paddock.error;

/** What went wrong with a connection, in words for a one-line message: the JDK's exceptions often carry no message of their own. */
public final class NetworkFailure {
    private NetworkFailure() {}

    /** The exception's own message, or what its kind means; never a class name. */
    public static String reason(Exception e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        return switch (e) {
            case java.net.ConnectException c -> "the connection was refused or the network is unreachable";
            case java.net.UnknownHostException u -> "the host name does not resolve";
            case java.net.http.HttpTimeoutException t -> "it did not answer in time";
            case java.net.SocketTimeoutException t -> "it did not answer in time";
            default -> "the connection failed";
        };
    }
}
