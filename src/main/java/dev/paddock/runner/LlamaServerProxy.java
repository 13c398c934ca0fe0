package dev.paddock.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The runner's other engine: the user's own llama.cpp {@code llama-server} (newer architectures, a CUDA or
 * Metal build), started as this runner's child with the token in a key file, never on its command line.
 * The runner keeps the same contract in front of it: its port, its keep-alive, its parent watch; requests
 * and their streamed answers pass through unchanged, llama-server's own {@code timings} included.
 */
final class LlamaServerProxy {
    private final Process server;
    private final int upstreamPort;
    private final Activity activity;

    private LlamaServerProxy(Process server, int upstreamPort, Activity activity) {
        this.server = server;
        this.upstreamPort = upstreamPort;
        this.activity = activity;
    }

    static LlamaServerProxy start(Path binary, RunnerSettings s, String token, Activity activity, Duration timeout) {
        try {
            int port = freePort();
            Path keyFile = Files.createTempFile("paddock-key-", ".txt", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, token + "\n");
            List<String> cmd = command(binary, s, port, keyFile);
            // its output goes to the runner's log, never to the runner's protocol pipe, which nobody reads after READY
            ProcessBuilder.Redirect out = s.logFile() != null ? ProcessBuilder.Redirect.appendTo(s.logFile().toFile())
                    : ProcessBuilder.Redirect.DISCARD;
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
            try {
                awaitHealthy(p, port, timeout);
            } finally {
                Files.deleteIfExists(keyFile);
            }
            return new LlamaServerProxy(p, port, activity);
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.INVALID_INPUT, "cannot start llama-server " + binary + ": " + e.getMessage()
                    + " (paddock engine test checks an engine)", e);
        }
    }

    /**
     * llama-server's command line: the runner's context is shared by {@code parallel} slots (a unified KV cache,
     * continuous batching), chat templates through Jinja, prompts reused from the cache, and the metrics and
     * slots endpoints on for {@code paddock status}.
     */
    static List<String> command(Path binary, RunnerSettings s, int port, Path keyFile) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-m", s.modelPath().toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--api-key-file", keyFile.toString(),
                "-c", String.valueOf(s.contextSize()), "-t", String.valueOf(s.threads()), "-b", String.valueOf(s.batchSize()),
                "--seed", String.valueOf(s.seed()),
                "-np", String.valueOf(s.parallel()), "--kv-unified", "--jinja", "--cache-reuse", "256",
                "--metrics", "--slots", "--no-webui"));
        if (s.gpuLayers() > 0) { // left out, a GPU build chooses by itself how many layers fit
            cmd.addAll(List.of("-ngl", String.valueOf(s.gpuLayers())));
        }
        cmd.addAll(s.engineArgs()); // last: the user's own choices win
        return cmd;
    }

    Process process() {
        return server;
    }

    /** Serves the runner's port: /health here, everything else passed to llama-server. */
    int serve() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/", this::forward);
        http.start();
        return http.getAddress().getPort();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestURI().getPath().equals("/health")) {
                byte[] body = ("{\"status\":\"ok\",\"expires_in_seconds\":" + activity.secondsLeft() + "}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                return;
            }
            activity.begin();
            try {
                pass(ex);
            } finally {
                activity.end();
            }
        }
    }

    private void pass(HttpExchange ex) throws IOException {
        URI target = URI.create("http://127.0.0.1:" + upstreamPort + ex.getRequestURI());
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
        c.setRequestMethod(ex.getRequestMethod());
        ex.getRequestHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length") && !k.equalsIgnoreCase("Connection")) {
                v.forEach(x -> c.addRequestProperty(k, x));
            }
        });
        byte[] body = ex.getRequestBody().readNBytes(RunnerServer.MAX_BODY_BYTES + 1);
        if (body.length > 0) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream up = c.getOutputStream()) {
                up.write(body);
            }
        }
        int status = c.getResponseCode();
        String type = c.getContentType();
        if (type != null) {
            ex.getResponseHeaders().set("Content-Type", type);
        }
        ex.sendResponseHeaders(status, 0);
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream(); OutputStream out = ex.getResponseBody()) {
            if (in == null) {
                return;
            }
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) { // each read is what llama-server flushed: pass it on at once
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }

    private static void awaitHealthy(Process p, int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new PaddockException(ErrorCode.INVALID_MODEL, "llama-server exited with code " + p.exitValue()
                        + " while loading the model (its output is in the runner log)");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        p.destroyForcibly();
        throw new PaddockException(ErrorCode.INTERNAL, "llama-server was not ready after " + timeout.toSeconds() + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
