import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import dev.paddock.model.ModelName;
import dev.paddock.runner.LoadedRunner;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerSettings;
import dev.paddock.store.ImportProgress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bench/gateway: (1) streaming chat completions through Paddock's gateway against the same requests sent
 * straight to the model's runner and through a byte-for-byte relay to it (the least any proxy costs), alternating, same
 * model (~100M parameters), after a warm-up of 5,000 tokens and 400 short answers each way: added time to first token
 * (and a fresh server's, from the first 60 short answers) and the generation
 * tokens/s ratio; (2) GET /api/models under 50 concurrent clients for 20 s against
 * the same bytes served by a bare JDK HTTP server in the same run: requests/s (and the ratio), p50/p99
 * latency, errors; (3) on a current engine, the same comparison for a strict JSON-schema request and a streamed
 * tool call, and embeddings requests/s through the gateway against the engine's own endpoint. Each added time to first
 * token is printed also net of the engine's own prompt time, and each median and ratio with a bootstrap 95 % interval
 * (fixed seed), as the engine's own speed moves by more than the targets' margins between identical requests here.
 */
public class Gateway {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Answers of 128 tokens each way before anything is measured: 5,000 tokens through the gateway. */
    static final int WARM_UP_ANSWERS = 40;
    /**
     * Short answers each way before time to first token is measured: a request's own code runs once a request, so a server
     * runs it compiled only after some hundreds of requests (at the thresholds ./paddock serve sets; thousands at the JVM's).
     */
    static final int WARM_UP_SHORT = 400;
    /** Short requests of a shape (a JSON schema, tools) each way before that shape is measured. */
    static final int WARM_UP_SHAPED = 150;
    /** Then answers of 64 tokens of that shape each way. */
    static final int WARM_UP_SHAPED_ANSWERS = 30;
    static final java.lang.management.CompilationMXBean JIT = java.lang.management.ManagementFactory.getCompilationMXBean();

    /**
     * How long HotSpot has compiled, all told: printed for each measured phase, as its compiler threads take the cores from the
     * engine (C2 ran for 60-130 ms during each 128-token tool call some 30 calls in), and a server at ./paddock serve's
     * low thresholds goes on compiling, in bursts, the code that some requests reach now and then.
     */
    static long jitMs() {
        return JIT.getTotalCompilationTime();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int clients = 50;
        Path home = Files.createTempDirectory("paddock-gateway-bench-");
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache") + "/paddock";
        Map<String, String> env = Map.of("PADDOCK_HOME", home.toString(), "HOME", home.toString(),
                "PADDOCK_OLLAMA_URL", "http://127.0.0.1:9", "PADDOCK_RUNNER_KEEP_ALIVE", "-1", "PADDOCK_ENGINE_CACHE_DIR", cache, "PATH", System.getenv("PATH"));
        Paddock paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, System.err::println, Clock.systemUTC(), true);
        boolean embedded = "embedded".equals(System.getenv("PADDOCK_BENCH_ENGINE"));
        if (!embedded) { // the default engine (a copy when the cache holds its build); PADDOCK_BENCH_ENGINE=embedded for the fallback
            paddock.engines().install(new dev.paddock.engine.EngineService.InstallRequest(null, null, dev.paddock.engine.Backend.CPU,
                    Runtime.getRuntime().availableProcessors(), false), dev.paddock.engine.InstallProgress.NONE);
        }
        System.err.println("gateway: engine " + (embedded ? "embedded" : paddock.engines().defaultId().orElseThrow()));
        LlamaModelSpec spec = LlamaModelSpec.large().withName("bench-100m").withLayers(768, 8, 2048, 12, 4)
                .withWeights(GgmlType.F16).withContext(2048).withToolCalling(); // the template matters only to the tools request
        Path file = home.resolve("m.gguf");
        SyntheticLlama.write(spec, file);
        paddock.store().importFile(file, ModelName.parse("bench:100m"), false, ImportProgress.NONE);
        Files.delete(file);
        try (PaddockServer server = PaddockServer.start(paddock, ServerSettings.loopback(0), "bench", l -> {})) {
            String gateway = "http://127.0.0.1:" + server.port();
            Map<String, Object> request = new java.util.LinkedHashMap<>();
            request.put("model", "bench:100m");
            request.put("max_tokens", 128);
            request.put("temperature", 0);
            request.put("seed", 7);
            request.put("stream", true);
            request.put("stream_options", Map.of("include_usage", true));
            request.put("messages", List.of(Map.of("role", "user", "content", "Write a short story about a lighthouse keeper.")));
            String body = JSON.writeValueAsString(request);
            stream(gateway + "/v1/chat/completions", null, body); // loads the model
            LoadedRunner runner = paddock.supervisor().find(ModelName.parse("bench:100m")).orElseThrow();
            String direct = "http://127.0.0.1:" + runner.port() + "/v1/chat/completions";
            String relay = "http://127.0.0.1:" + Relay.start(runner.port()) + "/v1/chat/completions";
            // Warm-up, alternating as well: HotSpot compiles a method called once per token after some 5,000 calls, so a
            // server runs its per-token path compiled from about its fortieth answer on; the gateway is measured from there
            // (what the warm-up itself measured is printed too: a server's first minute)
            List<Double> wG = new ArrayList<>(), wD = new ArrayList<>();
            for (int i = 0; i < WARM_UP_ANSWERS; i++) {
                wG.add(stream(gateway + "/v1/chat/completions", null, body)[1]);
                wD.add(stream(direct, runner.token(), body)[1]);
            }
            // and short answers: what the first of them add is a fresh server's time to first token
            String shortBody = JSON.writeValueAsString(with(request, "max_tokens", 2));
            List<Double> firstAdded = new ArrayList<>();
            for (int i = 0; i < WARM_UP_SHORT; i++) {
                double g = stream(gateway + "/v1/chat/completions", null, shortBody)[0];
                double d = stream(direct, runner.token(), shortBody)[0];
                if (i < 60) {
                    firstAdded.add(g - d);
                }
            }
            System.err.printf("gateway: model %.0fM parameters, %d repetitions of 128 tokens, alternating%n", spec.parameterCount() / 1e6, reps);
            List<Double> gTtft = new ArrayList<>(), dTtft = new ArrayList<>(), gTps = new ArrayList<>(), dTps = new ArrayList<>();
            List<Double> gNet = new ArrayList<>(), dNet = new ArrayList<>();
            List<Double> gPrompt = new ArrayList<>(), dPrompt = new ArrayList<>(), gEngine = new ArrayList<>(), dEngine = new ArrayList<>();
            List<Double> gCpu = new ArrayList<>(), dCpu = new ArrayList<>(), rCpu = new ArrayList<>(), rTtft = new ArrayList<>(), rTps = new ArrayList<>();
            long[] engineG = new long[3], engineD = new long[3];
            java.util.function.Supplier<long[]> engineNow = () -> Proc.engine(runner.pid());
            long jitBefore = jitMs();
            for (int i = 0; i < reps; i++) {
                long[] e0 = engineNow.get();
                double[] g = stream(gateway + "/v1/chat/completions", null, body);
                long[] e1 = engineNow.get();
                double[] d = stream(direct, runner.token(), body);
                long[] e2 = engineNow.get();
                double[] rl = stream(relay, runner.token(), body);
                rTtft.add(rl[0]);
                rTps.add(rl[1]);
                rCpu.add(rl[4]);
                for (int k = 0; k < 3; k++) {
                    engineG[k] += e1[k] - e0[k];
                    engineD[k] += e2[k] - e1[k];
                }
                gTtft.add(g[0]);
                gTps.add(g[1]);
                dTtft.add(d[0]);
                dTps.add(d[1]);
                gPrompt.add(g[2]);
                dPrompt.add(d[2]);
                gNet.add(beyondPrompt(g));
                dNet.add(beyondPrompt(d));
                gEngine.add(g[3]);
                dEngine.add(d[3]);
                gCpu.add(g[4]);
                dCpu.add(d[4]);
            }
            long jitDuring = jitMs() - jitBefore;
            // time to first token alone: many short answers, alternating, so the noise of 2 shared cores averages out
            List<Double> added = new ArrayList<>(), gShort = new ArrayList<>(), dShort = new ArrayList<>(), relayed = new ArrayList<>();
            List<Double> addedNet = new ArrayList<>(), relayedNet = new ArrayList<>();
            for (int i = 0; i < reps * 6; i++) {
                double[] g = stream(gateway + "/v1/chat/completions", null, shortBody);
                double[] d = stream(direct, runner.token(), shortBody);
                double[] rl = stream(relay, runner.token(), shortBody);
                gShort.add(g[0]);
                dShort.add(d[0]);
                added.add(g[0] - d[0]);
                relayed.add(rl[0] - d[0]);
                addedNet.add(beyondPrompt(g) - beyondPrompt(d));
                relayedNet.add(beyondPrompt(rl) - beyondPrompt(d));
            }
            System.out.printf("time to first token, %d short answers each way, alternating: gateway %.2f ms, runner %.2f ms -> added"
                    + " %.2f ms median %s, middle half %.2f to %.2f ms (target <= 2 ms)%n", reps * 6, median(gShort), median(dShort),
                    median(added), within(added, added, (a, b) -> median(a), "%.2f"), quantile(added, 0.25), quantile(added, 0.75));
            System.out.printf("  beyond the engine's own prompt time (what the engine took for the prompt, which moves by milliseconds from"
                    + " request to request on shared cores, taken from each side): added %.2f ms median %s%n", median(addedNet),
                    within(addedNet, addedNet, (a, b) -> median(a), "%.2f"));
            System.out.printf("  a byte-for-byte relay to the runner (a thread a direction; the least any proxy adds here): added %.2f ms median,"
                    + " %.2f ms beyond the engine's prompt time%n", median(relayed), median(relayedNet));
            System.out.printf("  a fresh server's first 60 short answers (its per-request code not compiled yet): added %.2f ms median%n",
                    median(firstAdded));
            System.out.printf("warm-up, %d answers of 128 tokens each way (a server's first minute): generation tokens/s ratio %.3f%n",
                    WARM_UP_ANSWERS, median(wG) / median(wD));
            System.out.println("gateway vs runner (streaming, medians):");
            System.out.printf("  time to first token: gateway %.2f ms, runner %.2f ms -> added %.2f ms %s (target <= 2 ms)%n",
                    median(gTtft), median(dTtft), median(gTtft) - median(dTtft), within(gTtft, dTtft, (a, b) -> median(a) - median(b), "%.2f"));
            System.out.printf("  the engine's own prompt time: gateway requests %.2f ms, direct %.2f ms; beyond it, added %.2f ms %s%n",
                    median(gPrompt), median(dPrompt), median(gNet) - median(dNet), within(gNet, dNet, (a, b) -> median(a) - median(b), "%.2f"));
            System.out.printf("  generation tokens/s: gateway %.1f, runner %.1f -> ratio %.3f %s (target >= 0.98)%n",
                    median(gTps), median(dTps), median(gTps) / median(dTps), within(gTps, dTps, (a, b) -> median(a) / median(b), "%.3f"));
            System.out.printf("  a byte-for-byte relay to the runner, same requests: time to first token %.2f ms, tokens/s %.1f -> ratio %.3f"
                    + " %s (what a proxy that only copies bytes keeps here: each token wakes one more thread)%n", median(rTtft), median(rTps),
                    median(rTps) / median(dTps), within(rTps, dTps, (a, b) -> median(a) / median(b), "%.3f"));
            System.out.printf("  the engine's own generation speed meanwhile: gateway requests %.1f, direct %.1f tokens/s -> ratio %.3f%n",
                    median(gEngine), median(dEngine), median(gEngine) / median(dEngine));
            System.out.printf("  llama-server per request: CPU %.0f ms through the gateway, %.0f ms direct; its threads preempted %.0f times"
                    + " through the gateway, %.0f direct%n", engineG[0] * 10.0 / reps, engineD[0] * 10.0 / reps, engineG[1] / (double) reps,
                    engineD[1] / (double) reps);
            System.out.printf("  CPU per answer of the threads between client and engine: the gateway's %.1f ms (%.0f us a token), the"
                    + " relay's %.1f ms (%.0f us a token), none direct (%.1f ms of other threads): CPU the engine's threads cannot use%n",
                    median(gCpu), median(gCpu) * 1000 / 128, median(rCpu), median(rCpu) * 1000 / 128, median(dCpu));
            System.out.printf("  HotSpot compiled for %d ms during these %d answers each way%n", jitDuring, reps);

            if (!embedded) {
                compareShaped("JSON schema (strict)", gateway, direct, runner.token(), with(request, "response_format", Map.of("type",
                        "json_schema", "json_schema", Map.of("name", "story", "strict", true, "schema", Map.of("type", "object",
                                "properties", Map.of("title", Map.of("type", "string"), "body", Map.of("type", "string")),
                                "required", List.of("title", "body"), "additionalProperties", false)))), reps);
                Map<String, Object> tools = with(request, "tools", List.of(Map.of("type", "function", "function", Map.of("name",
                        "save_story", "parameters", Map.of("type", "object", "properties", Map.of("title", Map.of("type", "string"),
                                "body", Map.of("type", "string")), "required", List.of("title", "body"))))));
                tools.put("tool_choice", "required");
                tools.put("parallel_tool_calls", false);
                tools.put("logit_bias", List.of(List.of("{", 30))); // a random model opens the call at once; the grammar does the rest
                compareShaped("tool call (streamed arguments)", gateway, direct, runner.token(), tools, reps);
                embeddings(paddock, gateway, reps * 2);
            }

            byte[] models = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/models")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            HttpServer bare = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            bare.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            bare.createContext("/api/models", ex -> {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, models.length);
                ex.getResponseBody().write(models);
                ex.close();
            });
            bare.start();
            double[] ref = load("http://127.0.0.1:" + bare.getAddress().getPort() + "/api/models", clients, seconds);
            bare.stop(0);
            double[] api = load(gateway + "/api/models", clients, seconds);
            System.out.printf("GET /api/models, %d clients, %d s (%d bytes, 1 local model):%n", clients, seconds, models.length);
            System.out.printf("  paddock:  %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors%n", api[0], api[1], api[2], (long) api[3]);
            System.out.printf("  bare JDK server, same bytes: %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors%n", ref[0], ref[1], ref[2], (long) ref[3]);
            System.out.printf("  ratio paddock / bare: %.2f%n", api[0] / ref[0]);
        } finally {
            paddock.supervisor().loaded().forEach(r -> paddock.supervisor().stop(ModelName.parse(r.model())));
        }
    }

    static Map<String, Object> with(Map<String, Object> request, String key, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(request);
        copy.put(key, value);
        return copy;
    }

    /** A streamed request of one shape through the gateway and straight to the engine, alternating: added TTFT and tokens/s ratio. */
    static void compareShaped(String what, String gateway, String direct, String token, Map<String, Object> request, int reps)
            throws Exception {
        String body = JSON.writeValueAsString(request);
        stream(gateway + "/v1/chat/completions", null, body);
        stream(direct, token, body);
        // as for plain answers, short requests of this shape first: the code that reads and forwards a shape runs once a request
        String shortBody = JSON.writeValueAsString(with(request, "max_tokens", 4));
        for (int i = 0; i < WARM_UP_SHAPED; i++) {
            drain(gateway + "/v1/chat/completions", null, shortBody);
            drain(direct, token, shortBody);
        }
        // and answers of this shape: its pieces (tool-call arguments) take their own path
        String warmBody = JSON.writeValueAsString(with(request, "max_tokens", 64));
        for (int i = 0; i < WARM_UP_SHAPED_ANSWERS; i++) {
            drain(gateway + "/v1/chat/completions", null, warmBody);
            drain(direct, token, warmBody);
        }
        long jitBefore = jitMs();
        List<Double> gTtft = new ArrayList<>(), dTtft = new ArrayList<>(), gTps = new ArrayList<>(), dTps = new ArrayList<>();
        List<Double> gNet = new ArrayList<>(), dNet = new ArrayList<>();
        List<Double> gCpu = new ArrayList<>(), gEngine = new ArrayList<>(), dEngine = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            double[] g = stream(gateway + "/v1/chat/completions", null, body);
            double[] d = stream(direct, token, body);
            gCpu.add(g[4] * 1000 / g[5]);
            gEngine.add(g[3]);
            dEngine.add(d[3]);
            gNet.add(beyondPrompt(g));
            dNet.add(beyondPrompt(d));
            gTtft.add(g[0]);
            dTtft.add(d[0]);
            gTps.add(g[1]);
            dTps.add(d[1]);
        }
        long jitDuring = jitMs() - jitBefore;
        System.out.println("gateway vs engine, " + what + " (medians; after " + WARM_UP_SHAPED_ANSWERS + " answers of 64 tokens each way, HotSpot"
                + " compiled for " + jitDuring + " ms during the " + reps + " measured):");
        System.out.printf("  time to first token: gateway %.2f ms, engine %.2f ms -> added %.2f ms %s (target <= 2 ms)%n",
                median(gTtft), median(dTtft), median(gTtft) - median(dTtft), within(gTtft, dTtft, (a, b) -> median(a) - median(b), "%.2f"));
        System.out.printf("  beyond the engine's own prompt time: added %.2f ms %s%n", median(gNet) - median(dNet),
                within(gNet, dNet, (a, b) -> median(a) - median(b), "%.2f"));
        System.out.printf("  tokens/s: gateway %.1f, engine %.1f -> ratio %.3f %s (target >= 0.98); the gateway's CPU %.0f us a token%n",
                median(gTps), median(dTps), median(gTps) / median(dTps), within(gTps, dTps, (a, b) -> median(a) / median(b), "%.3f"),
                median(gCpu));
        System.out.printf("  the engine's own generation speed meanwhile: gateway requests %.1f, direct %.1f tokens/s -> ratio %.3f %s%n",
                median(gEngine), median(dEngine), median(gEngine) / median(dEngine), within(gEngine, dEngine, (a, b) -> median(a) / median(b), "%.3f"));
    }

    /** Embeddings requests (8 sentences each) through the gateway and straight to the engine, alternating: requests/s ratio. */
    static void embeddings(Paddock paddock, String gateway, int reps) throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inputs.add("Sentence number " + i + " about a lighthouse keeper and the sea at night.");
        }
        String body = JSON.writeValueAsString(Map.of("model", "bench:100m", "input", inputs));
        post(gateway + "/v1/embeddings", null, body); // reloads the model with its embeddings endpoint on
        LoadedRunner runner = paddock.supervisor().find(ModelName.parse("bench:100m")).orElseThrow();
        String direct = "http://127.0.0.1:" + runner.port() + "/v1/embeddings";
        post(direct, runner.token(), body);
        List<Double> g = new ArrayList<>(), d = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            g.add(post(gateway + "/v1/embeddings", null, body));
            d.add(post(direct, runner.token(), body));
        }
        System.out.printf("embeddings (8 inputs a request, medians): gateway %.1f req/s, engine %.1f req/s -> ratio %.3f %s (target >= 0.95)%n",
                1000 / median(g), 1000 / median(d), median(d) / median(g), within(d, g, (a, b) -> median(a) / median(b), "%.3f"));
    }

    /** One streamed request read to its end by the client that measures, whatever it says. */
    static void drain(String url, String token, String body) throws Exception {
        java.net.HttpURLConnection c = open(url, token, body);
        Reading reading = new Reading();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                reading.line(line);
            }
        }
    }

    /** A POST by the plain blocking client that measures, answered 200. */
    static java.net.HttpURLConnection open(String url, String token, String body) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        try (var out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        if (status != 200) {
            var err = c.getErrorStream();
            throw new IllegalStateException(url + " answered " + status + ": " + (err == null ? "" : new String(err.readAllBytes(),
                    StandardCharsets.UTF_8)));
        }
        return c;
    }

    /** One POST answered 200 with a body: its time in ms. */
    static double post(String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - start) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return ms;
    }

    /**
     * A byte-for-byte TCP relay to the runner, a thread a direction with blocking copies: the reference for what any proxy
     * costs on this machine (each token wakes one more thread and passes through one more socket pair), whatever it is
     * written in.
     */
    static final class Relay {
        static int start(int upstream) throws java.io.IOException {
            java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("relay-accept").start(() -> {
                while (true) {
                    try {
                        java.net.Socket in = listener.accept();
                        java.net.Socket out = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), upstream);
                        in.setTcpNoDelay(true);
                        out.setTcpNoDelay(true);
                        Thread.ofPlatform().daemon().name("relay-up").start(() -> copy(in, out));
                        Thread.ofPlatform().daemon().name("relay-down").start(() -> copy(out, in));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            return listener.getLocalPort();
        }

        static void copy(java.net.Socket from, java.net.Socket to) {
            byte[] buffer = new byte[16384];
            try (var in = from.getInputStream(); var out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (java.io.IOException closed) {
                // either side went away: both are closed below
            }
            try {
                from.close();
                to.close();
            } catch (java.io.IOException ignored) {
                // already closed
            }
        }
    }

    /** What /proc says of llama-server, a descendant of its runner: {CPU ticks, involuntary context switches, voluntary ones}. */
    static final class Proc {
        static long[] engine(long runnerPid) {
            long[] sum = new long[3];
            ProcessHandle.of(runnerPid).ifPresent(r -> r.descendants().filter(p -> p.info().command().orElse("").endsWith("llama-server"))
                    .forEach(p -> {
                        try {
                            String[] stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
                            sum[0] += Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime + stime
                            try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
                                for (Path t : tasks.toList()) {
                                    for (String line : Files.readAllLines(t.resolve("status"))) {
                                        if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                                            sum[1] += Long.parseLong(line.split("\\s+")[1]);
                                        } else if (line.startsWith("voluntary_ctxt_switches:")) {
                                            sum[2] += Long.parseLong(line.split("\\s+")[1]);
                                        }
                                    }
                                }
                            }
                        } catch (java.io.IOException | RuntimeException gone) {
                            // it ended meanwhile
                        }
                    }));
            return sum;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * The CPU time of this JVM's threads other than the calling one (the client), to the nanosecond: nothing much for a
     * direct request, the relay's two threads through the relay, the gateway's through Paddock (the compilers' and the
     * collector's threads are not Java threads and not counted).
     */
    static long othersCpuNanos() {
        long me = Thread.currentThread().threadId();
        long[] ids = Arrays.stream(THREADS.getAllThreadIds()).filter(id -> id != me).toArray();
        long sum = 0;
        for (long t : THREADS.getThreadCpuTime(ids)) {
            sum += Math.max(0, t); // -1: a thread that ended meanwhile
        }
        return sum;
    }

    /**
     * One streamed request: {time to first content, generation tokens/s after it, the engine's prompt ms, its tokens/s, the
     * CPU ms of this JVM's threads but the client's (the gateway's, or the relay's), the tokens generated}. The client is the
     * same both ways and blocking, one thread and one read a chunk (java.net.http's client spends some 0.3 ms of CPU a token
     * on its own threads, which the engine would lose both ways).
     */
    static double[] stream(String url, String token, String body) throws Exception {
        long cpuStart = othersCpuNanos();
        long start = System.nanoTime();
        java.net.HttpURLConnection c = open(url, token, body);
        Reading reading = new Reading();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                reading.line(line);
            }
        }
        if (reading.first == 0 || reading.tokens < 1) {
            throw new IllegalStateException(url + " answered with " + reading.tokens + " tokens");
        }
        return new double[] {(reading.first - start) / 1e6, (reading.tokens - 1) / ((reading.last - reading.first) / 1e9),
                reading.promptMs, reading.engineTps, (othersCpuNanos() - cpuStart) / 1e6, reading.tokens};
    }

    /** What one stream's lines said, a line a call (a method HotSpot compiles soon, unlike a loop run once a request). */
    static final class Reading {
        long first;
        long last;
        int tokens;
        double promptMs = Double.NaN;
        double engineTps = Double.NaN;

        void line(String line) throws java.io.IOException {
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                return;
            }
            JsonNode chunk = JSON.readTree(line.substring(6));
            JsonNode delta = chunk.path("choices").path(0).path("delta");
            String content = delta.path("content").asText("") + delta.path("tool_calls").path(0).path("function").path("arguments").asText("");
            if (!content.isEmpty()) {
                last = System.nanoTime();
                if (first == 0) {
                    first = last;
                }
            }
            if (chunk.hasNonNull("usage")) {
                tokens = chunk.get("usage").path("completion_tokens").asInt();
            }
            if (chunk.has("timings")) {
                promptMs = chunk.get("timings").path("prompt_ms").asDouble();
                engineTps = chunk.get("timings").path("predicted_n").asDouble() * 1000 / chunk.get("timings").path("predicted_ms").asDouble();
            }
        }
    }

    /** {requests/s, p50 ms, p99 ms, errors} of GETs by {@code clients} concurrent loops for {@code seconds}. */
    static double[] load(String url, int clients, int seconds) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        try {
                            var r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latencies.add((System.nanoTime() - t) / 1e6);
                    }
                    return null;
                });
            }
        }
        double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {l.length / (double) seconds, l[l.length / 2], l[(int) Math.min(l.length - 1, Math.ceil(l.length * 0.99) - 1)],
                errors.get()};
    }

    /**
     * The client's time to first token less what the engine said it took for the prompt: what lies between the client and the
     * engine's work (the engine's prompt time, on 2 shared cores, moves by more than the 2 ms target from one request to the next).
     */
    static double beyondPrompt(double[] stream) {
        return stream[0] - stream[2];
    }

    /**
     * A 95 % interval of a statistic of two samples, from 2,000 bootstrap resamples of each, "[low, high]": how far the
     * figure could move from noise alone (a target inside the interval is neither met nor missed by this run). A fixed seed,
     * so the same measurements print the same interval.
     */
    static String within(List<Double> a, List<Double> b, java.util.function.ToDoubleBiFunction<List<Double>, List<Double>> statistic,
            String format) {
        java.util.Random random = new java.util.Random(1);
        List<Double> stats = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            stats.add(statistic.applyAsDouble(resample(a, random), resample(b, random)));
        }
        return "[" + String.format(format, quantile(stats, 0.025)) + ", " + String.format(format, quantile(stats, 0.975)) + "]";
    }

    static List<Double> resample(List<Double> v, java.util.Random random) {
        List<Double> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(v.get(random.nextInt(v.size())));
        }
        return out;
    }

    static double quantile(List<Double> v, double q) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
