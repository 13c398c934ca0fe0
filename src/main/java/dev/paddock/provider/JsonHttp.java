package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.NetworkFailure;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * JSON over HTTP for providers: requests with headers, streamed lines for SSE and NDJSON, and failures
 * turned into one message that names the provider, the URL and the provider's own words.
 */
public final class JsonHttp {
    public static final ObjectMapper JSON = new ObjectMapper();

    // Made on first use, one for http:// and one for https://: a command that asks no provider pays nothing, and
    // one that asks only a local one (Ollama, a runner) skips loading the trust store (about 0.1 s on a cold JVM).
    private HttpClient plain;
    private HttpClient tls;
    private boolean closed;

    private synchronized HttpClient client(URI uri) {
        if (closed) {
            throw new PaddockException(ErrorCode.INTERNAL, "the HTTP client of " + providerName + " is closed");
        }
        boolean secure = !"http".equalsIgnoreCase(uri.getScheme());
        if (secure && tls == null) {
            tls = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        } else if (!secure && plain == null) {
            plain = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL)
                    .sslContext(noTrust()).build();
        }
        return secure ? tls : plain;
    }

    /** A TLS context that trusts nothing, for the plain-HTTP client (a redirect to https is retried with the other). */
    private static javax.net.ssl.SSLContext noTrust() {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the connections at once (requests in flight fail): its owner is going away. */
    public synchronized void close() {
        closed = true;
        for (HttpClient c : new HttpClient[] {plain, tls}) {
            if (c != null) {
                c.shutdownNow();
            }
        }
    }
    private final String providerName;
    private final Duration connectTimeout;

    public JsonHttp(String providerName, Duration connectTimeout) {
        this.providerName = providerName;
        this.connectTimeout = connectTimeout;
    }

    public JsonNode get(URI uri, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        headers.forEach(b::header);
        HttpResponse<String> res = send(b.build(), HttpResponse.BodyHandlers.ofString(), uri);
        check(res.statusCode(), res.body(), uri);
        return parse(res.body(), uri);
    }

    public JsonNode post(URI uri, Map<String, String> headers, Object body, Duration timeout) {
        HttpResponse<String> res = send(request(uri, headers, body, timeout, "POST"), HttpResponse.BodyHandlers.ofString(), uri);
        check(res.statusCode(), res.body(), uri);
        return res.body().isBlank() ? JSON.createObjectNode() : parse(res.body(), uri);
    }

    public void delete(URI uri, Map<String, String> headers, Object body, Duration timeout) {
        HttpResponse<String> res = send(request(uri, headers, body, timeout, "DELETE"), HttpResponse.BodyHandlers.ofString(), uri);
        check(res.statusCode(), res.body(), uri);
    }

    /**
     * POSTs and returns the response's lines as they arrive; the caller closes the stream. Blocking I/O on
     * the caller's thread: with a model using every core, each extra thread hand-off per token costs
     * generation speed (measured by bench/runner-overhead), and java.net.http makes three. A server on this
     * machine is read with no read timeout at the socket (see {@link LoopbackStream}); {@code timeout} is the
     * longest wait for the answer's next bytes.
     */
    public Stream<String> postForLines(URI uri, Map<String, String> headers, Object body, Duration timeout) {
        if (LoopbackStream.serves(uri)) {
            return loopbackLines(uri, headers, body, timeout);
        }
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "text/event-stream, application/x-ndjson, application/json");
            headers.forEach(c::setRequestProperty);
            byte[] bytes = JSON.writeValueAsBytes(body);
            // no streaming mode: headers and body leave in one write (two small writes wait on each other under Nagle)
            try (var out = c.getOutputStream()) {
                out.write(bytes);
            }
            int status = c.getResponseCode();
            if (status >= 400) {
                var err = c.getErrorStream();
                String text = err == null ? "" : new String(err.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
                check(status, text, uri);
            }
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            return reader.lines().onClose(() -> {
                try {
                    reader.close(); // a fully read stream goes back to the keep-alive cache
                } catch (IOException ignored) {
                    // closing a broken stream
                }
            });
        } catch (IOException e) {
            throw streamFailure(e, uri);
        }
    }

    private Stream<String> loopbackLines(URI uri, Map<String, String> headers, Object body, Duration timeout) {
        LoopbackStream s = null;
        try {
            s = LoopbackStream.post(uri, headers, JSON.writeValueAsBytes(body), timeout);
            if (s.status() >= 300) {
                String text = new String(s.body().readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
                check(s.status(), text, uri);
                throw unavailable(providerName + " at " + base(uri) + " answered " + s.status() + " (a redirect; give its new address)",
                        null);
            }
            LoopbackStream open = s;
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(s.body(), java.nio.charset.StandardCharsets.UTF_8));
            return reader.lines().onClose(open::close);
        } catch (IOException e) {
            throw streamFailure(e, uri);
        } finally {
            if (s != null && s.status() >= 300) {
                s.close();
            }
        }
    }

    /** A stream that could not be opened, in one message: no answer in time, nobody listening, or a broken connection. */
    private PaddockException streamFailure(IOException e, URI uri) {
        if (e instanceof java.net.SocketTimeoutException) {
            return unavailable(providerName + " at " + base(uri) + " did not answer in time", e);
        }
        if (e instanceof ConnectException) {
            return unavailable("cannot reach " + providerName + " at " + base(uri) + " (" + NetworkFailure.reason(e) + "); is it running?", e);
        }
        return unavailable("the connection to " + providerName + " at " + base(uri) + " failed: " + NetworkFailure.reason(e), e);
    }

    private static HttpRequest request(URI uri, Map<String, String> headers, Object body, Duration timeout, String method) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            headers.forEach(b::header);
            return b.build();
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.INTERNAL, "cannot encode a request: " + e.getMessage(), e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, URI uri) {
        try {
            checkLoopbackListens(uri);
            try {
                return client(uri).send(req, handler);
            } catch (javax.net.ssl.SSLException redirectedToTls) {
                if (!"http".equalsIgnoreCase(uri.getScheme())) {
                    throw redirectedToTls;
                }
                synchronized (this) {
                    client(URI.create("https://redirect"));
                }
                return tls.send(req, handler);
            }
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unavailable("cannot reach " + providerName + " at " + base(uri) + " (" + NetworkFailure.reason(e) + "); is it running?", e);
        } catch (HttpTimeoutException e) {
            throw unavailable(providerName + " at " + base(uri) + " did not answer in time", e);
        } catch (IOException e) {
            throw unavailable("the connection to " + providerName + " at " + base(uri) + " failed: " + NetworkFailure.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while waiting for " + providerName, e);
        }
    }

    /**
     * Before the first plain-HTTP request to a loopback address, a connection attempt of its own: a provider
     * that is not running (the usual Ollama on a machine without one) is refused within microseconds, and
     * knowing that spares making an HTTP client, tens of milliseconds of a command's start-up.
     */
    private void checkLoopbackListens(URI uri) throws IOException {
        synchronized (this) {
            if (plain != null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return;
            }
        }
        String host = uri.getHost().replaceAll("^\\[|\\]$", "");
        boolean loopback = host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1");
        if (!loopback) {
            return;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : 80;
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), (int) Math.max(1, connectTimeout.toMillis()));
        }
    }

    private void check(int status, String body, URI uri) {
        if (status < 400) {
            return;
        }
        String message = errorMessage(body);
        String prefix = providerName + " at " + base(uri) + " answered " + status;
        if (status == 401 || status == 403) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, prefix + ": " + message + " (check the API key)");
        }
        if (status == 404) {
            throw new PaddockException(ErrorCode.NOT_FOUND, prefix + ": " + message);
        }
        if (status == 429 || status == 408) { // rate limited or timed out: the provider's state, not the request's fault
            throw new PaddockException(ErrorCode.UNAVAILABLE, prefix + ": " + message + (status == 429 ? " (rate limited; try again later)" : ""));
        }
        throw new PaddockException(status < 500 ? ErrorCode.INVALID_INPUT : ErrorCode.UNAVAILABLE, prefix + ": " + message);
    }

    /**
     * The provider's own words: {"error": "…"}, {"error": {"message": "…"}}, {"message": "…"} or {"detail": "…"}; else what
     * the body seems to be.
     */
    public static String errorMessage(String body) {
        if (body.isBlank()) {
            return "(no message)";
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode e = n.get("error");
            if (e != null && e.isTextual()) {
                return e.textValue();
            }
            if (e != null && e.has("message")) {
                return e.get("message").asText();
            }
            if (n.has("message")) {
                return n.get("message").asText();
            }
            if (n.path("detail").isTextual()) { // FastAPI's servers (vLLM's among them)
                return n.get("detail").textValue();
            }
            return "no message in its JSON answer (" + body.length() + " characters)";
        } catch (IOException | RuntimeException ignored) {
            // not JSON
        }
        return "no JSON message; the answer is " + kindOf(body);
    }

    /**
     * What an answer that is not JSON seems to be, never its words: an error message must not carry a remote
     * answer's content (a provider URL can point at a local service that answers with its secrets).
     */
    static String kindOf(String body) {
        String t = body.stripLeading();
        if (t.regionMatches(true, 0, "<!doctype html", 0, 14) || t.regionMatches(true, 0, "<html", 0, 5)) {
            return "an HTML page of " + body.length() + " characters";
        }
        return body.length() + " characters of " + (t.startsWith("<") ? "XML or HTML" : "text");
    }

    private JsonNode parse(String body, URI uri) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw unavailable(providerName + " at " + base(uri) + " sent something that is not JSON (" + kindOf(body)
                    + "); is it the service you meant?", e);
        }
    }

    private static String base(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static PaddockException unavailable(String message, Exception cause) {
        return new PaddockException(ErrorCode.UNAVAILABLE, message, cause);
    }
}
