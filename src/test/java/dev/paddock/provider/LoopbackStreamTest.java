package dev.paddock.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonHttp#postForLines} to a server on this machine, through {@link LoopbackStream}: a raw socket server writes the
 * exact bytes (chunks split anywhere, a length, a close), stalls, or breaks the protocol.
 */
class LoopbackStreamTest {
    private ServerSocket listener;
    private final JsonHttp http = new JsonHttp("Acme", Duration.ofSeconds(2));
    private final CompletableFuture<String> request = new CompletableFuture<>();
    private final CountDownLatch release = new CountDownLatch(1);

    /** What the server does with an accepted connection once it has read the request. */
    interface Script {
        void play(OutputStream out) throws Exception;
    }

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        listener.close();
        http.close();
    }

    private URI serve(Script script) {
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = listener.accept()) {
                request.complete(readRequest(s.getInputStream()));
                script.play(s.getOutputStream());
            } catch (Exception e) {
                request.completeExceptionally(e);
            }
        });
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/v1/chat/completions?x=1");
    }

    /** The request's head and its Content-Length's worth of body. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(in.read());
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(h.replaceFirst("(?s).*Content-Length: (\\d+).*", "$1"));
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private List<String> lines(URI uri, Duration timeout) {
        try (Stream<String> lines = http.postForLines(uri, Map.of("Authorization", "Bearer k"), Map.of("model", "m"), timeout)) {
            return lines.toList();
        }
    }

    @Test
    void chunksSplitAnywhereAreDecodedIntoTheirLines() throws Exception {
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            write(out, "e\r\ndata: {\"a\":");
            Thread.sleep(20);
            write(out, "1}\n\r\n");
            write(out, "E;ext=1\r\ndata: héllo\n\n\r");
            Thread.sleep(20);
            write(out, "\n0\r\nTrailer: x\r\n\r\n");
        });

        assertThat(lines(uri, Duration.ofSeconds(10))).containsExactly("data: {\"a\":1}", "data: héllo", "");
        String sent = request.get(5, TimeUnit.SECONDS);
        assertThat(sent).startsWith("POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + listener.getLocalPort() + "\r\n")
                .contains("\r\nAuthorization: Bearer k\r\n", "\r\nConnection: close\r\n", "\r\nContent-Type: application/json\r\n")
                .endsWith("\r\n\r\n{\"model\":\"m\"}");
    }

    @Test
    void aBodyOfAKnownLengthOrToTheCloseIsReadWhole() {
        URI known = serve(out -> write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n{}\n{}\nextra"));
        assertThat(lines(known, Duration.ofSeconds(10))).containsExactly("{}", "{}");

        URI toClose = serve(out -> write(out, "HTTP/1.0 200 OK\r\n\r\n{\"done\":true}\n"));
        assertThat(lines(toClose, Duration.ofSeconds(10))).containsExactly("{\"done\":true}");
    }

    @Test
    void anErrorAnswerIsTheProvidersOwnWords() {
        URI uri = serve(out -> write(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: 30\r\n\r\n{\"error\":{\"message\":\"no way\"}}"));

        assertThatThrownBy(() -> lines(uri, Duration.ofSeconds(10))).isInstanceOf(PaddockException.class)
                .hasMessage("Acme at http://127.0.0.1:" + listener.getLocalPort() + " answered 400: no way");
    }

    @Test
    void aServerThatSaysNothingForTheTimeoutIsLeft() {
        URI silent = serve(out -> release.await());
        assertThatThrownBy(() -> lines(silent, Duration.ofMillis(300))).isInstanceOf(PaddockException.class)
                .hasMessageEndingWith("did not answer in time")
                .satisfies(e -> assertThat(((PaddockException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void aStreamThatStallsMidAnswerEndsWithATimeoutAndItsLinesSoFar() {
        URI stalls = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\ndata: 1\n\n\r\n");
            release.await();
        });
        List<String> seen = new java.util.ArrayList<>();
        assertThatThrownBy(() -> {
            try (Stream<String> lines = http.postForLines(stalls, Map.of(), Map.of(), Duration.ofMillis(300))) {
                lines.forEach(seen::add);
            }
        }).isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("Read timed out");
        assertThat(seen).containsExactly("data: 1", "");
    }

    @Test
    void brokenAnswersAndAbsentServersAreNamedNotQuoted() throws IOException {
        URI notHttp = serve(out -> write(out, "SSH-2.0-OpenSSH_9.2 secret\r\n"));
        assertThatThrownBy(() -> lines(notHttp, Duration.ofSeconds(10))).isInstanceOf(PaddockException.class)
                .hasMessageContaining("the connection to Acme at http://127.0.0.1:")
                .hasMessageNotContaining("secret");

        URI badChunk = serve(out -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nsecret\r\n"));
        assertThatThrownBy(() -> lines(badChunk, Duration.ofSeconds(10))).hasMessageContaining("malformed chunk size")
                .hasMessageNotContaining("secret");

        URI cut = serve(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ndata: 1\n"));
        assertThatThrownBy(() -> lines(cut, Duration.ofSeconds(10))).hasMessageContaining("ended before its Content-Length");

        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() -> lines(URI.create("http://localhost:" + port + "/x"), Duration.ofSeconds(10)))
                .isInstanceOf(PaddockException.class)
                .hasMessageStartingWith("cannot reach Acme at http://localhost:" + port);
    }
}
