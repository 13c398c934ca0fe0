package dev.paddock.download;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Asks the server about a file (a 0–0 range GET, which every range-capable server answers with the size). */
final class RemoteProbe {
    private RemoteProbe() {}

    /** Probes, retrying 5xx, 429 and broken connections with backoff, as transfers do. */
    static RemoteFile probe(HttpClient client, PullSource source, Duration timeout, int retries) {
        long backoff = 250;
        for (int attempt = 0; ; attempt++) {
            try {
                return probe(client, source, timeout);
            } catch (PaddockException e) {
                boolean transient_ = e.code() == ErrorCode.UNAVAILABLE && !e.getMessage().startsWith("access denied")
                        && !e.getMessage().startsWith("cannot resolve");
                if (!transient_ || attempt >= retries) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.min(8000, backoff));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff *= 2;
            }
        }
    }

    static RemoteFile probe(HttpClient client, PullSource source, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(source.url()).timeout(timeout).header("Range", "bytes=0-0").GET();
        source.headers().forEach(b::header);
        HttpResponse<InputStream> res = send(client, b.build(), source);
        try (InputStream body = res.body()) {
            int status = res.statusCode();
            failOnStatus(status, source, body);
            var h = res.headers();
            String etag = h.firstValue("ETag").map(RemoteProbe::unquote).orElse(null);
            String linked = h.firstValue("X-Linked-Etag").map(RemoteProbe::unquote).orElse(null);
            String sha = isSha256(linked) ? linked.toLowerCase(Locale.ROOT) : isSha256(etag) ? etag.toLowerCase(Locale.ROOT) : null;
            if (status == 206) {
                Long size = h.firstValue("Content-Range").flatMap(RemoteProbe::totalFromContentRange).orElse(null);
                return new RemoteFile(res.uri(), size, size != null, etag, sha);
            }
            // 200: the server ignored the range and started sending the whole file; its length is the size
            Long size = h.firstValueAsLong("Content-Length").isPresent() ? h.firstValueAsLong("Content-Length").getAsLong() : null;
            return new RemoteFile(res.uri(), size, false, etag, sha);
        } catch (IOException e) {
            return new RemoteFile(res.uri(), null, false, null, null);
        }
    }

    static HttpResponse<InputStream> send(HttpClient client, HttpRequest req, PullSource source) {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw unavailable(req.uri().getHost() + " did not answer in time for " + source.displayUrl()
                    + "; check your connection and try again", e);
        } catch (ConnectException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
                throw unavailable("cannot resolve the host " + req.uri().getHost() + " of " + source.displayUrl()
                        + "; check the URL and your connection", e);
            }
            throw unavailable("cannot connect to " + req.uri().getHost() + " for " + source.displayUrl() + " ("
                    + e.getMessage() + "); check the URL and your connection", e);
        } catch (IOException e) {
            throw unavailable("the connection for " + source.displayUrl() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted", e);
        }
    }

    static void failOnStatus(int status, PullSource source, InputStream body) {
        if (status < 400) {
            return;
        }
        if (status == 401 || status == 403) {
            boolean hf = source.url().getHost().endsWith("huggingface.co");
            throw new PaddockException(ErrorCode.UNAVAILABLE, "access denied (" + status + ") for " + source.displayUrl()
                    + (hf ? (source.headers().containsKey("Authorization")
                            ? "; the repository may be gated: accept its terms on huggingface.co with the account of your HF_TOKEN"
                            : "; the repository may be gated: accept its terms on huggingface.co and set HF_TOKEN")
                            : "; the server needs credentials Paddock does not have"));
        }
        if (status == 404) {
            throw PaddockException.notFound("not found (404): " + source.displayUrl() + "; check the URL");
        }
        String text = "";
        try {
            text = new String(body.readNBytes(300), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (IOException ignored) {
            // no body
        }
        throw new PaddockException(status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.INVALID_INPUT, "the server answered "
                + status + " for " + source.displayUrl() + (text.isEmpty() ? "" : ": " + text));
    }

    static Optional<Long> totalFromContentRange(String value) {
        int slash = value.lastIndexOf('/');
        if (slash < 0 || value.endsWith("*")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.substring(slash + 1).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String unquote(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.startsWith("\"") && e.endsWith("\"") && e.length() >= 2 ? e.substring(1, e.length() - 1) : e;
    }

    static boolean isSha256(String s) {
        return s != null && s.matches("[0-9a-fA-F]{64}");
    }

    private static PaddockException unavailable(String message, Exception cause) {
        return new PaddockException(ErrorCode.UNAVAILABLE, message, cause);
    }

}
