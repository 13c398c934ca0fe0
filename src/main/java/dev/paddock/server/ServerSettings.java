package dev.paddock.server;

import dev.paddock.error.PaddockException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where and how {@code paddock serve} listens. A non-loopback address without a token is refused: the
 * API can delete models and spend cloud money, so an open port must not be open to everyone.
 */
public record ServerSettings(String host, int port, String token, long maxBodyBytes, List<String> corsOrigins,
        List<String> allowedHosts, Integer ollamaPort) {
    public ServerSettings {
        token = token == null || token.isBlank() ? null : token.strip();
        corsOrigins = List.copyOf(corsOrigins);
        allowedHosts = List.copyOf(allowedHosts);
    }

    public ServerSettings(String host, int port, String token, long maxBodyBytes, List<String> corsOrigins) {
        this(host, port, token, maxBodyBytes, corsOrigins, List.of(), null);
    }

    public ServerSettings(String host, int port, String token, long maxBodyBytes, List<String> corsOrigins, List<String> allowedHosts) {
        this(host, port, token, maxBodyBytes, corsOrigins, allowedHosts, null);
    }

    /** These settings with Ollama's API on {@code port} too (0: a free port; null: off). */
    public ServerSettings withOllamaPort(Integer p) {
        return new ServerSettings(host, port, token, maxBodyBytes, corsOrigins, allowedHosts, p);
    }

    public static ServerSettings loopback(int port) {
        return new ServerSettings("127.0.0.1", port, null, 1 << 20, List.of());
    }

    public ServerSettings withToken(String t) {
        return new ServerSettings(host, port, t, maxBodyBytes, corsOrigins, allowedHosts, ollamaPort);
    }

    /** Refuses settings that would expose the server, with what to do instead. */
    public void check() {
        if (port < 0 || port > 65535) {
            throw PaddockException.invalidInput("port must be 0-65535, not " + port);
        }
        if (ollamaPort != null && (ollamaPort < 0 || ollamaPort > 65535 || ollamaPort != 0 && ollamaPort == port)) {
            throw PaddockException.invalidInput("server.ollama_port must be 0-65535 and not the server's own port, not " + ollamaPort);
        }
        if (maxBodyBytes < 1024) {
            throw PaddockException.invalidInput("server.max_body_kb must be at least 1");
        }
        if (!isLoopback() && token == null) {
            throw PaddockException.invalidInput("refusing to listen on " + host + " without an access token: set PADDOCK_TOKEN"
                    + " (or server.token), or listen on 127.0.0.1");
        }
        if (token != null && token.length() < 16) {
            throw PaddockException.invalidInput("the access token is too short (" + token.length()
                    + " characters); use at least 16, e.g. from \"openssl rand -hex 24\"");
        }
    }

    public boolean isLoopback() {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            throw PaddockException.invalidInput("unknown host \"" + host + "\"; give an address such as 127.0.0.1");
        }
    }
}
