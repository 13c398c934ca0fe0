import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.paddock.bench.Statistics;
import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.RunnerDefaults;
import dev.paddock.runner.RunnerSupervisor;
import dev.paddock.store.ImportProgress;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/bench-fidelity: for one generated model, the generation speed Paddock's benchmark computes (client
 * side: (output tokens − 1) / (end-to-end − TTFT)) against the engine's own timings for the same requests,
 * and against generation done directly in this process with the binding; the prompt speed Paddock reports
 * (the engine's) against prompt tokens / TTFT seen by the client. Also the coefficient of variation over 5
 * repetitions. Target: within 3%.
 */
public class BenchFidelity {
    static final int GEN = 128;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int reps = 5;
        int threads = Runtime.getRuntime().availableProcessors();
        Path home = Files.createTempDirectory("paddock-bench-fidelity-");
        System.setProperty("de.kherud.llama.tmpdir", home.resolve("native").toString());
        Files.createDirectories(home.resolve("native"));
        ModelStore store = new ModelStore(new StoreLayout(home),
                new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "")),
                new GgufReader(), Clock.systemUTC(), w -> {});
        Path f = home.resolve("m.gguf");
        SyntheticLlama.write(LlamaModelSpec.large().withLayers(768, 8, 2048, 12, 4).withWeights(GgmlType.F16), f);
        store.importFile(f, ModelName.parse("fidelity"), false, ImportProgress.NONE);
        Files.delete(f);
        RunnerSupervisor sup = new RunnerSupervisor(home, new RunnerDefaults(1024, threads, 512, 0, 600, 3, Duration.ofSeconds(120)),
                new GgufReader(), Clock.systemUTC(), w -> {}, true);
        LocalProvider local = new LocalProvider(store, sup);
        String text = "Write a long story about a lighthouse keeper and the ships that pass in the night.";
        List<ChatMessage> messages = List.of(ChatMessage.user(text));
        LlamaModel direct = new LlamaModel(new ModelParameters().setModel(store.blobPath(store.get(ModelName.parse("fidelity"))).toString())
                .setCtxSize(1024).setThreads(threads).setBatchSize(512).setGpuLayers(0));
        String prompt = direct.applyTemplate(new InferenceParameters("").setMessages(null, List.of(new Pair<>("user", text))));

        for (int i = 0; i < 2; i++) { // warm-up
            local.chat(new ChatRequest("fidelity", messages, GEN, 0.0, 1L, List.of(), null), TokenListener.NONE);
            directTg(direct, prompt);
        }
        List<Double> paddockTg = new ArrayList<>();
        List<Double> engineTg = new ArrayList<>();
        List<Double> directTg = new ArrayList<>();
        List<Double> paddockPp = new ArrayList<>();
        List<Double> clientPp = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            ChatResult r = local.chat(new ChatRequest("fidelity", messages, GEN, 0.0, 1L, List.of(), null), TokenListener.NONE);
            double e2e = r.total().toNanos() / 1e6;
            double ttft = r.timeToFirstToken().toNanos() / 1e6;
            double last = r.tokenArrivals().getLast().toNanos() / 1e6;
            paddockTg.add((r.completionTokens() - 1) * 1000 / (last - ttft)); // as BenchService computes it
            engineTg.add(r.engineTimings().generatedTokensPerSecond());
            paddockPp.add(r.engineTimings().promptTokensPerSecond());
            clientPp.add(r.promptTokens() * 1000 / ttft);
            directTg.add(directTg(direct, prompt));
        }
        double pt = Statistics.mean(paddockTg);
        double et = Statistics.mean(engineTg);
        double dt = Statistics.mean(directTg);
        System.out.printf("bench-fidelity: %d repetitions of %d tokens, %d threads%n", reps, GEN, threads);
        System.out.printf("  tg: Paddock %.2f tok/s, engine's own timings %.2f (%+.1f%%), direct in-process %.2f (%+.1f%%)%n",
                pt, et, (pt / et - 1) * 100, dt, (pt / dt - 1) * 100);
        System.out.printf("  pp: Paddock (engine's timings) %.1f tok/s; prompt tokens / client TTFT %.1f tok/s (%+.1f%%)%n",
                Statistics.mean(paddockPp), Statistics.mean(clientPp), (Statistics.mean(clientPp) / Statistics.mean(paddockPp) - 1) * 100);
        System.out.printf("  coefficient of variation over %d repetitions: tg %.1f%%, pp %.1f%%%n", reps,
                100 * Statistics.coefficientOfVariation(paddockTg), 100 * Statistics.coefficientOfVariation(paddockPp));
        boolean ok = Math.abs(pt / et - 1) <= 0.03 && Math.abs(pt / dt - 1) <= 0.03;
        System.out.println("  verdict: " + (ok ? "targets met (tg within 3% of both)" : "TARGET MISSED"));
        System.exit(0);
    }

    /** Tokens per second after the first, generating in-process with the binding. */
    static double directTg(LlamaModel model, String prompt) {
        InferenceParameters p = new InferenceParameters(prompt).setNPredict(GEN).setTemperature(0f).setTopP(0.95f).setTopK(40)
                .setSeed(1).setCachePrompt(false);
        long first = -1;
        long last = 0;
        int n = 0;
        for (LlamaOutput o : model.generate(p)) {
            if (o.text.isEmpty()) {
                continue; // held back, as the runner's stream holds it back
            }
            long now = System.nanoTime();
            if (first < 0) {
                first = now;
            }
            last = now;
            n++;
        }
        return (GEN - 1) * 1e9 / (last - first); // tokens, not pieces, as Paddock counts them
    }
}
