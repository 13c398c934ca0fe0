package dev.paddock.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner's current engine: llama.cpp's {@code llama-server} (an installed engine or the user's own binary),
 * started as this runner's child with the token in a key file, never on its command line. Clients talk to it
 * directly — no relay spends the cores the model needs on every token — while the runner keeps the contract
 * around it: its keep-alive (activity read from llama-server's {@code /metrics}), its parent watch, and a
 * control port whose {@code /health} says when it will unload.
 */
final class LlamaServerChild {
    private final Process server;
    private final int port;
    private final String token;
    private final Activity activity;

    private LlamaServerChild(Process server, int port, String token, Activity activity) {
        this.server = server;
        this.port = port;
        this.token = token;
        this.activity = activity;
    }

    static LlamaServerChild start(Path binary, RunnerSettings s, String token, Activity activity, Duration timeout) {
        try {
            int port = LlamaServerStartup.freePort();
            Path keyFile = Files.createTempFile("paddock-key-", ".txt", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, token + "\n");
            List<String> cmd = command(binary, s, port, keyFile);
            long logStart = s.logFile() != null && Files.exists(s.logFile()) ? Files.size(s.logFile()) : 0; // the log is appended to
            // its output goes to the runner's log, never to the runner's protocol pipe, which nobody reads after READY
            ProcessBuilder.Redirect out = s.logFile() != null ? ProcessBuilder.Redirect.appendTo(s.logFile().toFile())
                    : ProcessBuilder.Redirect.DISCARD;
            Process p = new ProcessBuilder(dieWithRunner(cmd)).redirectErrorStream(true).redirectOutput(out).start();
            try {
                awaitHealthy(p, port, timeout, s.logFile(), logStart);
            } finally {
                Files.deleteIfExists(keyFile);
            }
            return new LlamaServerChild(p, port, token, activity);
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
                "-fa", s.flashAttn(), "-ctk", s.kvType(), "-ctv", s.kvType(),
                "--metrics", "--slots", "--no-webui"));
        cmd.addAll(List.of("-ngl", s.gpuLayers() == RunnerSettings.GPU_AUTO ? "auto" // llama-server fits what the GPU holds
                : s.gpuLayers() == RunnerSettings.GPU_ALL ? "all" : String.valueOf(s.gpuLayers())));
        if (s.projector() != null) {
            cmd.addAll(List.of("--mmproj", s.projector().toString()));
        }
        cmd.addAll(s.engineArgs()); // last: the user's own choices win
        return cmd;
    }

    /**
     * The command wrapped so that llama-server ends when this runner does, even when the runner is killed -9
     * and runs no shutdown hook: a shell keeps llama-server's stdin-less sibling reading the runner's pipe, and
     * the pipe's end (the runner gone) kills it; the shell's own exit code is llama-server's.
     */
    static List<String> dieWithRunner(List<String> cmd) {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return cmd;
        }
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                // fd 3: the runner's pipe (a background job's own stdin would be /dev/null)
                "exec 3<&0; \"$@\" </dev/null & pid=$!; trap 'kill $pid 2>/dev/null' TERM INT;"
                        + " (read _ <&3; kill $pid 2>/dev/null) & wait $pid; code=$?; wait $pid 2>/dev/null; exit $code",
                "paddock-llama-server"));
        wrapped.addAll(cmd);
        return wrapped;
    }

    Process process() {
        return server;
    }

    /** The port clients send requests to: llama-server's own. */
    int port() {
        return port;
    }

    /** Serves the runner's control port: {@code /health} with the seconds left before it unloads, {@code /keep-alive} to change them. */
    int serveControl() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/", this::control);
        http.start();
        return http.getAddress().getPort();
    }

    private void control(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestURI().getPath().equals("/keep-alive") && ex.getRequestMethod().equals("POST")) {
                keepAlive(ex);
                return;
            }
            boolean health = ex.getRequestURI().getPath().equals("/health");
            byte[] body = (health ? "{\"status\":\"ok\",\"expires_in_seconds\":" + activity.secondsLeft() + "}"
                    : "{\"error\":{\"code\":\"not_found\",\"message\":\"the control port answers /health only\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(health ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /**
     * {@code POST /keep-alive} with the runner's token and a duration ("10m", "-1", "0") as its body: a request's own
     * keep_alive, as Ollama takes it, which llama-server itself has no field for. Counts as activity, so the new
     * keep-alive runs from now.
     */
    private void keepAlive(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        int status;
        String body;
        if (auth == null || !java.security.MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
            status = 401;
            body = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"missing or wrong token\"}}";
        } else {
            try {
                long seconds = KeepAlive.parseSeconds(new String(ex.getRequestBody().readNBytes(64), StandardCharsets.UTF_8).strip()
                        .replaceAll("^\"|\"$", "")); // a JSON string or the bare text
                activity.keepAliveSeconds(seconds);
                activity.touch();
                status = 200;
                body = "{\"keep_alive_seconds\":" + seconds + "}";
            } catch (PaddockException e) {
                status = 400;
                body = "{\"error\":{\"code\":\"invalid_input\",\"message\":\"not a keep-alive duration\"}}";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /**
     * Counts llama-server as busy while it processes a request and whenever its token counters moved since the
     * last look (every half second), so a request shorter than that still resets the keep-alive.
     */
    void watchActivity() {
        Thread.ofPlatform().daemon().name("paddock-runner-activity").start(() -> {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
            String last = "";
            while (server.isAlive()) {
                try {
                    var m = EngineMetrics.parse(http.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
                    boolean processing = m.getOrDefault("requests_processing", 0.0) > 0;
                    String counters = m.get("prompt_tokens_total") + " " + m.get("tokens_predicted_total") + " " + m.get("n_decode_total");
                    if (processing || !counters.equals(last)) {
                        activity.touch();
                    }
                    last = counters;
                    Thread.sleep(500);
                } catch (IOException busy) {
                    activity.touch(); // no answer is no proof of idleness
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static final java.util.regex.Pattern PROJECTOR_MISMATCH = java.util.regex.Pattern.compile(
            "mismatch between text model \\(n_embd = (\\d+)\\) and mmproj \\(n_embd = (\\d+)\\)");

    /**
     * Why llama-server refused the model's vision projector, in Paddock's words, when its log says so; empty otherwise.
     * Only the numbers are taken from the log: its lines can quote the file's own strings.
     */
    static String projectorFailure(Path log, long from) {
        if (log == null) {
            return "";
        }
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(from);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                java.util.regex.Matcher m = PROJECTOR_MISMATCH.matcher(line);
                if (m.find()) {
                    return ": its vision projector (mmproj) was made for a model of embedding length " + m.group(2) + ", and this one's is "
                            + m.group(1) + "; install the projector that comes with this model (paddock import MODEL --mmproj FILE --force)";
                }
                if (line.contains("failed to load multimodal model")) {
                    return ": it could not load the model's vision projector (mmproj); install the projector that comes with this model";
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    private static void awaitHealthy(Process p, int port, Duration timeout, Path log, long logStart) throws IOException {
        java.util.Optional<String> why;
        try {
            why = LlamaServerStartup.awaitHealthy(p, port, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (why.isPresent()) {
            boolean exited = !p.isAlive(); // it refused the model; else it hung
            p.destroyForcibly();
            throw new PaddockException(exited ? ErrorCode.INVALID_MODEL : ErrorCode.INTERNAL,
                    why.get() + (exited ? projectorFailure(log, logStart) : "")); // the runner adds where its log is
        }
    }
}
