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
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import dev.paddock.gguf.GgufReader;

/**
 * Asks the server about a file with a GET of its first eight bytes (a range every range-capable server
 * answers with the size): the size, whether ranges work, the ETag and digest, and whether the file begins
 * like a GGUF model at all, so that a web page or a local service's answer is refused before it is fetched.
 */
final class RemoteProbe {
    private RemoteProbe() {}

    /** Probes, retrying transient failures with backoff as transfers do, each retry told to {@code notices}. */
    static RemoteFile probe(HttpClient client, PullSource source, Duration timeout, int retries, Consumer<String> notices) {
        long backoff = 250;
        for (int attempt = 0; ; attempt++) {
            try {
                return probe(client, source, timeout);
            } catch (TransientFailure e) {
                if (attempt >= retries) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, e.getMessage() + " (gave up after " + retries + " retries)", e);
                }
                notices.accept("retrying in " + Math.min(8000, backoff) / 1000.0 + " s: " + e.getMessage());
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
        HttpRequest.Builder b = HttpRequest.newBuilder(source.url()).timeout(timeout).header("Range", "bytes=0-7").GET();
        source.headers().forEach(b::header);
        HttpResponse<InputStream> res = send(client, b.build(), source, timeout);
        try (InputStream body = res.body()) {
            int status = res.statusCode();
            failOnStatus(status, source);
            var h = res.headers();
            String etag = h.firstValue("ETag").map(RemoteProbe::unquote).orElse(null);
            String linked = h.firstValue("X-Linked-Etag").map(RemoteProbe::unquote).orElse(null);
            String sha = isSha256(linked) ? linked.toLowerCase(Locale.ROOT) : isSha256(etag) ? etag.toLowerCase(Locale.ROOT) : null;
            byte[] head = firstBytes(body, timeout, source);
            if (head.length < 4 || head[0] != 'G' || head[1] != 'G' || head[2] != 'U' || head[3] != 'F') {
                throw new PaddockException(ErrorCode.INVALID_MODEL, "the file at " + source.displayUrl() + " is not a GGUF model ("
                        + (head.length < 4 ? "it is too short to be one" : GgufReader.kindOf(head)) + "); nothing was downloaded");
            }
            if (status == 206) {
                Long size = h.firstValue("Content-Range").flatMap(RemoteProbe::totalFromContentRange).orElse(null);
                return new RemoteFile(res.uri(), size, size != null, etag, sha);
            }
            // 200: the server ignored the range and started sending the whole file; its length is the size
            Long size = h.firstValueAsLong("Content-Length").isPresent() ? h.firstValueAsLong("Content-Length").getAsLong() : null;
            return new RemoteFile(res.uri(), size, false, etag, sha);
        } catch (IOException e) {
            throw new TransientFailure("the connection for " + source.displayUrl() + " broke: " + describe(e), e);
        }
    }

    /** The body's first four bytes, within the timeout: a server may send its headers and then nothing. */
    private static byte[] firstBytes(InputStream body, Duration timeout, PullSource source) throws IOException {
        var reading = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return body.readNBytes(4);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().start(task));
        try {
            return reading.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            body.close(); // ends the blocked read
            throw new TransientFailure(source.url().getHost() + " sent no bytes of " + source.displayUrl() + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted", e);
        }
    }

    static HttpResponse<InputStream> send(HttpClient client, HttpRequest req, PullSource source, Duration timeout) {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw classify(e, req.uri(), source, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted", e);
        }
    }

    /** What went wrong with a connection, as a failure that says whether retrying can help. */
    static PaddockException classify(IOException e, URI uri, PullSource source, Duration timeout) {
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (e instanceof HttpTimeoutException) {
            return new TransientFailure(where + " did not answer within " + timeout.toSeconds() + " s", e);
        }
        if (e instanceof SSLException) {
            return new PaddockException(ErrorCode.UNAVAILABLE, "the TLS handshake with " + where + " failed (" + describe(e)
                    + "); check that the URL's scheme (https or http) matches the server", e);
        }
        if (e instanceof ConnectException) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
                return new PaddockException(ErrorCode.UNAVAILABLE, "cannot resolve the host " + uri.getHost() + " of "
                        + source.displayUrl() + "; check the URL and your connection", e);
            }
            return new PaddockException(ErrorCode.UNAVAILABLE, "cannot connect to " + where + " for " + source.displayUrl()
                    + " (" + (root.getMessage() == null ? "connection refused" : describe(root)) + "); check the URL and that the server runs", e);
        }
        return new TransientFailure("the connection to " + where + " failed: " + describe(e), e);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() || m.equals("closed") ? e.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ")
                .toLowerCase(Locale.ROOT) : m;
    }

    /** A status of 400 or more as the failure it is; the answer's body is never repeated (it may be anything). */
    static void failOnStatus(int status, PullSource source) {
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
        if (status >= 500 || status == 429 || status == 408) {
            throw new TransientFailure("the server answered " + status + " for " + source.displayUrl(), null);
        }
        throw new PaddockException(ErrorCode.INVALID_INPUT, "the server answered " + status + " for " + source.displayUrl()
                + "; check the URL");
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


}
