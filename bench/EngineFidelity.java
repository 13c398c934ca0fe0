import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import dev.paddock.engine.Backend;
import dev.paddock.engine.Engine;
import dev.paddock.engine.EngineService;
import dev.paddock.engine.InstallProgress;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import dev.paddock.model.ModelName;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerSettings;
import dev.paddock.store.ImportProgress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bench/engine-fidelity: Paddock on its default engine against llama.cpp itself, the same binaries, the same
 * generated ~125M-parameter models (F16, Q8_0, Q4_K_M, and a qwen3 Q8_0), 2 threads, measured in one run.
 * 1. ./paddock bench, as a user runs it (exact prompt tokens, cache off), against llama-bench -p P (prompt speed) and
 *    llama-bench -n 64 -d P (generation speed at the same depth), in ROUNDS rounds that take turns.
 *    Targets: both ratios >= 0.95. The same prompt streamed from llama-server by a lean client says how much of
 *    the difference is llama-server's own (its HTTP streaming beside two compute threads on two cores).
 * 2. Through paddock serve's gateway against the same llama-server started directly with the same flags, after a
 *    warm-up of 40 answers each way: one stream (>= 0.95), 4 concurrent streams aggregate (>= 0.9), 6-turn chat
 *    TTFT at turn 6 (<= 1.2x).
 */
public class EngineFidelity {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int THREADS = 2;
    static final int GEN = 64;
    /** Answers each way before the serving figures are taken. */
    static final int WARM_UP = 40;
    /** Repetitions of each tool within a round. */
    static final int INNER = 2;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("jdk.httpclient.keepalive.timeout", "2"); // servers drop idle connections; a stale one fails a POST
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Integer> lengths = List.of(128, 512);
        Path home = Files.createTempDirectory("paddock-engine-fidelity-");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PADDOCK_HOME", home.toString());
        env.put("PADDOCK_OLLAMA_URL", "http://127.0.0.1:9");
        env.put("PADDOCK_RUNNER_KEEP_ALIVE", "-1");
        env.put("PADDOCK_RUNNER_THREADS", String.valueOf(THREADS));
        Paddock paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, System.err::println, Clock.systemUTC(), true);
        System.err.println("engine-fidelity: installing the pinned engine (a copy when ~/.cache/paddock holds its build)");
        Engine engine = paddock.engines().install(new EngineService.InstallRequest(null, null, Backend.CPU,
                Runtime.getRuntime().availableProcessors(), false), InstallProgress.NONE).engine();
        Path server = paddock.engines().store().server(engine);
        Path llamaBench = paddock.engines().store().bench(engine).orElseThrow();
        LlamaModelSpec base = LlamaModelSpec.large().withLayers(768, 12, 2048, 12, 4).withContext(4096);
        Map<String, LlamaModelSpec> models = new LinkedHashMap<>();
        models.put("fid:f16", base.withName("fid-f16").withWeights(GgmlType.F16));
        models.put("fid:q8_0", base.withName("fid-q8").withWeights(GgmlType.Q8_0));
        models.put("fid:q4_k_m", base.withName("fid-q4km").withWeights(GgmlType.Q4_K));
        models.put("fid:qwen3-q8_0", base.withName("fid-qwen3").withWeights(GgmlType.Q8_0).withArchitecture("qwen3"));
        try {
            System.out.printf("engine %s (%s), %d threads, %.0fM-parameter models, %d rounds%n", engine.id(), engine.version(),
                    THREADS, base.parameterCount() / 1e6, reps);
            boolean servingOnly = args.length > 1 && args[1].equals("--serving-only");
            if (!servingOnly) {
                System.out.printf("""
                        Medians of %d rounds. A round: paddock bench (a warm-up and %d repetitions), llama-bench -r %d, and the same
                        prompt streamed from a llama-server of the runner's flags by a lean client (a warm-up and %d), in turns.
                        Ratios are the medians of the rounds' ratios. tok/s; in brackets the engine's own timings.
                        """, reps, INNER, INNER, INNER);
                System.out.println("                         PROMPT (PP)                           GENERATION (TG, -d P)"
                        + "                   TG RATIOS");
                System.out.println("MODEL              P  PADDOCK  L-SERVER  L-BENCH  RATIO   PADDOCK          L-SERVER         L-BENCH  "
                        + "P/BENCH  S/BENCH  P/SERVER");
            }
            for (var m : (servingOnly ? Map.<String, LlamaModelSpec>of() : models).entrySet()) {
                Path file = home.resolve("m.gguf");
                SyntheticLlama.write(m.getValue(), file);
                paddock.store().importFile(file, ModelName.parse(m.getKey()), false, ImportProgress.NONE);
                Files.delete(file);
                Path blob = paddock.store().installed(ModelName.parse(m.getKey())).blob();
                try (Direct direct = Direct.start(server, blob)) {
                    for (int p : lengths) {
                        Cell c = new Cell();
                        // Rounds rotate who goes first; ratios are taken within a round, as the machine's speed drifts
                        // by more than the targets' 5 % over the minutes a whole cell takes.
                        for (int round = 0; round < reps; round++) {
                            for (int step = 0; step < 3; step++) {
                                switch ((round + step) % 3) {
                                    case 0 -> c.paddock(env, m.getKey(), p);
                                    case 1 -> c.llamaBench(llamaBench, blob);
                                    default -> c.direct(direct);
                                }
                            }
                            c.ratios();
                        }
                        System.out.printf("%-17s %4d  %7.1f  %8.1f  %7.1f  %5.3f   %6.1f (%5.1f)  %6.1f (%5.1f)  %6.1f"
                                + "   %5.3f  %5.3f  %5.3f%n",
                                m.getKey(), c.sent, Gateway.median(c.pp), Gateway.median(c.directPp), Gateway.median(c.refPp),
                                Gateway.median(c.ppRatio),
                                Gateway.median(c.tg), Gateway.median(c.engineTg), Gateway.median(c.directTg),
                                Gateway.median(c.directEngineTg), Gateway.median(c.refTg), Gateway.median(c.tgRatio),
                                Gateway.median(c.directRatio), Gateway.median(c.overDirect));
                    }
                }
            }
            if (paddock.store().find(ModelName.parse("fid:q8_0")).isEmpty()) {
                Path file = home.resolve("m.gguf");
                SyntheticLlama.write(models.get("fid:q8_0"), file);
                paddock.store().importFile(file, ModelName.parse("fid:q8_0"), false, ImportProgress.NONE);
                Files.delete(file);
            }
            serving(paddock, server, paddock.store().installed(ModelName.parse("fid:q8_0")).blob(), reps);
        } finally {
            paddock.supervisor().loaded().forEach(r -> paddock.supervisor().stop(ModelName.parse(r.model())));
            paddock.close();
        }
    }

    /** One model at one prompt length: each round's figures, and its ratios. */
    static final class Cell {
        int sent;
        String text;
        final List<Double> pp = new ArrayList<>(), tg = new ArrayList<>(), engineTg = new ArrayList<>();
        final List<Double> refPp = new ArrayList<>(), refTg = new ArrayList<>(), directPp = new ArrayList<>(), directTg = new ArrayList<>(),
                directEngineTg = new ArrayList<>();
        final List<Double> ppRatio = new ArrayList<>(), tgRatio = new ArrayList<>(), directRatio = new ArrayList<>(),
                overDirect = new ArrayList<>();

        /** {@code ./paddock bench} itself, a command of its own, as a user runs it. */
        void paddock(Map<String, String> env, String model, int p) throws Exception {
            JsonNode run = JSON.readTree(paddockCommand(env, "bench", model, "--prompt-tokens", String.valueOf(p), "--gen-tokens",
                    String.valueOf(GEN), "--reps", String.valueOf(INNER), "--threads", String.valueOf(THREADS), "--seed", "1",
                    "--json")).get(0);
            List<Double> prompt = new ArrayList<>(), client = new ArrayList<>(), engine = new ArrayList<>();
            for (JsonNode sample : run.path("samples")) {
                if (!sample.path("error").isNull() && !sample.path("error").isMissingNode()) {
                    throw new IllegalStateException("paddock bench failed: " + sample.path("error").asText());
                }
                prompt.add(sample.path("promptTokensPerSecond").asDouble());
                client.add(sample.path("generationTokensPerSecond").asDouble());
                engine.add(sample.path("engineGenerationTokensPerSecond").asDouble());
                sent = sample.path("promptTokens").asInt();
            }
            pp.add(mean(prompt));
            tg.add(mean(client));
            engineTg.add(mean(engine));
            paddockCommand(env, "stop", model); // the others get the cores to themselves
        }

        void llamaBench(Path bin, Path blob) throws Exception {
            requireSent();
            refPp.add(EngineFidelity.llamaBench(bin, blob, List.of("-p", String.valueOf(sent), "-n", "0"), INNER));
            refTg.add(EngineFidelity.llamaBench(bin, blob, List.of("-p", "0", "-n", String.valueOf(GEN), "-d", String.valueOf(sent)),
                    INNER));
        }

        /** The same number of prompt tokens streamed from llama-server itself by bench/gateway's lean blocking client. */
        void direct(Direct d) throws Exception {
            requireSent();
            if (text == null) {
                text = promptOf(d, sent);
            }
            String body = body("direct", List.of(Map.of("role", "user", "content", text)), GEN, false);
            stream(d.chat(), body); // warm-up, as llama-bench and paddock bench have
            List<Double> prompt = new ArrayList<>(), client = new ArrayList<>(), engine = new ArrayList<>();
            for (int i = 0; i < INNER; i++) {
                double[] r = stream(d.chat(), body);
                prompt.add(sent * 1000 / r[2]);
                client.add(r[1]);
                engine.add(r[3]);
            }
            directPp.add(mean(prompt));
            directTg.add(mean(client));
            directEngineTg.add(mean(engine));
        }

        private void requireSent() {
            if (sent == 0) {
                throw new IllegalStateException("paddock bench runs first: it says how many prompt tokens it sent");
            }
        }

        void ratios() {
            ppRatio.add(pp.getLast() / refPp.getLast());
            tgRatio.add(tg.getLast() / refTg.getLast());
            directRatio.add(directTg.getLast() / refTg.getLast());
            overDirect.add(tg.getLast() / directTg.getLast());
        }
    }

    /** What {@code ./paddock ARGS} printed; what it said on its standard error only when it fails. */
    static byte[] paddockCommand(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("./paddock"));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("engine-fidelity-", ".err");
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).redirectError(err.toFile());
            b.environment().putAll(env);
            Process p = b.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(cmd + " failed: " + Files.readString(err));
            }
            return out;
        } finally {
            Files.delete(err);
        }
    }

    /** Words, one token each, whose chat prompt is exactly {@code tokens} tokens on this server (its template included). */
    static String promptOf(Direct d, int tokens) throws Exception {
        int words = tokens;
        for (int i = 0; i < 5; i++) {
            String text = words(0, words);
            String body = body("direct", List.of(Map.of("role", "user", "content", text)), 1, false)
                    .replace("\"stream\":true", "\"stream\":false");
            JsonNode r = JSON.readTree(Gateway.HTTP.send(HttpRequest.newBuilder(URI.create(d.chat())).header("Content-Type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
            int got = r.path("usage").path("prompt_tokens").asInt();
            if (got == tokens) {
                return text;
            }
            words += tokens - got;
        }
        throw new IllegalStateException("no prompt of exactly " + tokens + " tokens");
    }

    /** llama-bench's mean tokens/s for one test, as its JSON output reports it. */
    static double llamaBench(Path bin, Path model, List<String> test, int reps) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-m", model.toString(), "-t", String.valueOf(THREADS),
                "-r", String.valueOf(reps), "-o", "json"));
        cmd.addAll(test);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("llama-bench failed: " + cmd);
        }
        return JSON.readTree(out).get(0).path("avg_ts").asDouble();
    }

    /** llama-server started directly, with the flags the runner gives its own. */
    record Direct(Process process, int port) implements AutoCloseable {
        static Direct start(Path server, Path blob) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder(server.toString(), "-m", blob.toString(), "--host", "127.0.0.1", "--port",
                    String.valueOf(port), "-c", "4096", "-t", String.valueOf(THREADS), "-b", "512", "-np", "4", "--kv-unified", "--jinja",
                    "--cache-reuse", "256", "-fa", "auto", "-ctk", "f16", "-ctv", "f16", "--metrics", "--slots", "--no-webui")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new java.io.File(
                            System.getProperty("java.io.tmpdir"), "engine-fidelity-llama-server.log"))).start();
            try {
                awaitHealth(port);
            } catch (Exception | Error e) {
                p.destroy(); // no llama-server is left running after a failed start
                throw e;
            }
            return new Direct(p, port);
        }

        String chat() {
            return "http://127.0.0.1:" + port + "/v1/chat/completions";
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    static void serving(Paddock paddock, Path server, Path blob, int reps) throws Exception {
        try (Direct direct = Direct.start(server, blob)) {
            serving(paddock, direct, reps);
        }
    }

    static void serving(Paddock paddock, Direct direct, int reps) throws Exception {
        try (PaddockServer ps = PaddockServer.start(paddock, ServerSettings.loopback(0), "bench", l -> {})) {
            String gateway = "http://127.0.0.1:" + ps.port() + "/v1/chat/completions";
            String llama = direct.chat();
            String one = body("fid:q8_0", List.of(Map.of("role", "user", "content", words(0, 40))), 128);
            stream(gateway, one); // loads the model
            stream(llama, one);
            // paddock serve is a long-lived server: 40 answers each way first, some 5,000 tokens, the point where HotSpot
            // has compiled the gateway's per-token work (bench/gateway); what they measured is printed too
            List<Double> gw = new ArrayList<>(), dw = new ArrayList<>();
            for (int i = 0; i < WARM_UP; i++) {
                gw.add(stream(gateway, one)[1]);
                dw.add(stream(llama, one)[1]);
            }
            List<Double> g1 = new ArrayList<>(), d1 = new ArrayList<>(), g4 = new ArrayList<>(), d4 = new ArrayList<>();
            for (int i = 0; i < reps * 2; i++) {
                g1.add(stream(gateway, one)[1]);
                d1.add(stream(llama, one)[1]);
            }
            for (int i = 0; i < reps; i++) {
                g4.add(aggregate(gateway, 4));
                d4.add(aggregate(llama, 4));
            }
            List<Double> gt = new ArrayList<>(), dt = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                gt.add(sixthTurnTtft(gateway, i));
                dt.add(sixthTurnTtft(llama, i));
            }
            System.out.println("serving fid:q8_0, gateway of paddock serve vs the same llama-server directly (medians; a ratio is the"
                    + " median of the ratios of requests sent one after the other, as the machine's speed drifts):");
            System.out.printf("  warm-up, %d answers of 128 tokens each way (a server's first minute): one stream, ratio %.3f%n", WARM_UP,
                    pairedRatio(gw, dw));
            System.out.printf("  one stream:           %.1f vs %.1f tokens/s -> ratio %.3f (target >= 0.95)%n", Gateway.median(g1),
                    Gateway.median(d1), pairedRatio(g1, d1));
            System.out.printf("  4 streams, aggregate: %.1f vs %.1f tokens/s -> ratio %.3f (target >= 0.9)%n", Gateway.median(g4),
                    Gateway.median(d4), pairedRatio(g4, d4));
            System.out.printf("  6-turn chat, TTFT at turn 6: %.1f vs %.1f ms -> ratio %.3f (target <= 1.2)%n", Gateway.median(gt),
                    Gateway.median(dt), pairedRatio(gt, dt));
        }
    }

    /** The median of a.get(i) / b.get(i): each pair measured one after the other. */
    static double pairedRatio(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            r.add(a.get(i) / b.get(i));
        }
        return Gateway.median(r);
    }

    /** Output tokens per second of {@code n} streams started together. */
    static double aggregate(String url, int n) throws Exception {
        List<Callable<double[]>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String b = body("fid:q8_0", List.of(Map.of("role", "user", "content", words(1000 * i, 40))), 128);
            calls.add(() -> stream(url, b));
        }
        long start = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(n)) {
            for (Future<double[]> f : pool.invokeAll(calls)) {
                f.get();
            }
        }
        return n * 128 / ((System.nanoTime() - start) / 1e9);
    }

    /** A chat of six turns of 250 words each (answers of 32 tokens); the time to first token of the sixth. */
    static double sixthTurnTtft(String url, int variant) throws Exception {
        List<Map<String, String>> messages = new ArrayList<>();
        double ttft = 0;
        for (int turn = 0; turn < 6; turn++) {
            messages.add(Map.of("role", "user", "content", words(5000 * variant + 300 * turn, 250)));
            double[] r = stream(url, body("fid:q8_0", messages, 32));
            ttft = r[0];
            messages.add(Map.of("role", "assistant", "content", "reply " + turn));
        }
        return ttft;
    }

    /**
     * One streamed request (see Gateway.stream). llama-server closes a keep-alive connection after a few
     * requests, and a pooled client may send on one it just closed: such a send, refused before any answer,
     * is sent again.
     */
    static double[] stream(String url, String body) throws Exception {
        try {
            return Gateway.stream(url, null, body);
        } catch (java.io.IOException staleConnection) {
            return Gateway.stream(url, null, body);
        }
    }

    static String body(String model, List<Map<String, String>> messages, int maxTokens) throws Exception {
        return body(model, messages, maxTokens, true);
    }

    /** A streamed chat request; without the prompt cache every request evaluates its whole prompt, as llama-bench does. */
    static String body(String model, List<Map<String, String>> messages, int maxTokens, boolean cachePrompt) throws Exception {
        Map<String, Object> b = new LinkedHashMap<>();
        if (!cachePrompt) {
            b.put("cache_prompt", false);
        }
        b.put("model", model);
        b.put("max_tokens", maxTokens);
        b.put("temperature", 0);
        b.put("seed", 7);
        b.put("stream", true);
        b.put("stream_options", Map.of("include_usage", true));
        b.put("messages", messages);
        return JSON.writeValueAsString(b);
    }

    /** Words that are one token each in the generated vocabulary ("aa", "ab", …), from {@code from}. */
    static String words(int from, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            s.append(SyntheticLlama.letters(i % 26000)).append(' ');
        }
        return s.toString().strip();
    }

    static void awaitHealth(int port) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (Gateway.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // loading
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("llama-server did not start");
    }

    static double mean(List<Double> v) {
        return v.stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
