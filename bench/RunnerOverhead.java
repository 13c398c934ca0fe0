import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.db.JdbcRequestLog;
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
import dev.paddock.serving.ActiveModel;
import dev.paddock.store.ImportProgress;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * bench/runner-overhead: the same generation (~100M-parameter model, same prompt, settings and
 * threads) through supervisor + runner process + HTTP streaming, and directly in this process with the
 * Java binding, alternating. Prints generation tokens/s (ratio) and time to first token (overhead),
 * then the time to switch the active model between two models.
 */
public class RunnerOverhead {
    static final int GEN_TOKENS = 128;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Path work = Files.createTempDirectory("paddock-runner-overhead-");
        Path home = work.resolve("home");
        System.setProperty("de.kherud.llama.tmpdir", home.resolve("native").toString());
        Files.createDirectories(home.resolve("native"));
        ModelStore store = new ModelStore(new StoreLayout(home),
                new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "")),
                new GgufReader(), Clock.systemUTC(), System.err::println);
        LlamaModelSpec spec = LlamaModelSpec.large().withName("bench-100m").withLayers(768, 8, 2048, 12, 4)
                .withWeights(GgmlType.F16).withContext(2048);
        Path file = work.resolve("m.gguf");
        SyntheticLlama.write(spec, file);
        store.importFile(file, ModelName.parse("bench:100m"), false, ImportProgress.NONE);
        Files.delete(file);
        System.err.printf("runner-overhead: model %.0fM parameters, %d threads, %d tokens, %d repetitions%n",
                spec.parameterCount() / 1e6, threads, GEN_TOKENS, reps);

        RunnerDefaults defaults = new RunnerDefaults(1024, threads, 512, 0, 600, 3, Duration.ofSeconds(120));
        RunnerSupervisor supervisor = new RunnerSupervisor(home, defaults, new GgufReader(), Clock.systemUTC(),
                System.err::println, true);
        LocalProvider local = new LocalProvider(store, supervisor);
        local.load("bench:100m", RunnerDefaults.Overrides.NONE);

        Path blob = store.blobPath(store.get(ModelName.parse("bench:100m")));
        LlamaModel direct = new LlamaModel(new ModelParameters().setModel(blob.toString()).setCtxSize(1024)
                .setThreads(threads).setBatchSize(512).setGpuLayers(0));
        List<ChatMessage> messages = List.of(ChatMessage.user("Write a short story about a lighthouse keeper."));
        String prompt = messages.getFirst().content();

        // warm-up: a few requests each, so both sides run compiled code (a server answers many requests)
        for (int i = 0; i < 3; i++) {
            viaRunner(local, messages);
            directly(direct, prompt);
        }
        double[] runnerTps = new double[reps];
        double[] directTps = new double[reps];
        double[] runnerTtft = new double[reps];
        double[] directTtft = new double[reps];
        for (int i = 0; i < reps; i++) {
            double[] a = viaRunner(local, messages);
            double[] b = directly(direct, prompt);
            runnerTtft[i] = a[0];
            runnerTps[i] = a[1];
            directTtft[i] = b[0];
            directTps[i] = b[1];
            System.err.printf("  rep %d: runner %.1f tok/s, ttft %.1f ms | direct %.1f tok/s, ttft %.1f ms%n",
                    i + 1, a[1], a[0], b[1], b[0]);
        }
        double ratio = median(runnerTps) / median(directTps);
        double ttftOverhead = median(runnerTtft) - median(directTtft);
        System.out.printf("runner-overhead: %d repetitions of %d generated tokens, %d threads%n", reps, GEN_TOKENS, threads);
        System.out.printf("  generation tokens/s: runner %.2f, direct %.2f (medians) -> ratio %.3f (target >= 0.97)%n",
                median(runnerTps), median(directTps), ratio);
        System.out.printf("  time to first token (both apply the chat template): runner %.1f ms, direct %.1f ms (medians)"
                + " -> overhead %.1f ms (target <= 5)%n",
                median(runnerTtft), median(directTtft), ttftOverhead);
        direct.close();
        supervisor.stop(ModelName.parse("bench:100m"));

        System.out.printf("  switch active model (max_loaded 1, tiny models): median %.0f ms over %d switches%n",
                switchTimes(store, home, defaults, work), 4);
        System.out.println("  verdict: " + (ratio >= 0.97 && ttftOverhead <= 5 ? "targets met" : "TARGET MISSED"));
        System.exit(0); // the binding leaves a native thread running
    }

    /** {ttft ms, tokens/s after the first token} through runner + HTTP streaming. */
    static double[] viaRunner(LocalProvider local, List<ChatMessage> messages) {
        ChatResult r = local.chat(new ChatRequest("bench:100m", messages, GEN_TOKENS, 0.0, 1L, List.of(), null), TokenListener.NONE);
        List<Duration> t = r.tokenArrivals();
        double span = (t.getLast().toNanos() - t.getFirst().toNanos()) / 1e9;
        return new double[] {r.timeToFirstToken().toNanos() / 1e6, (t.size() - 1) / span};
    }

    /** The same chat in-process through the binding: apply the chat template, then generate. */
    static double[] directly(LlamaModel model, String userMessage) {
        long start = System.nanoTime();
        String prompt = model.applyTemplate(new InferenceParameters("").setMessages(null,
                List.of(new Pair<>("user", userMessage))));
        InferenceParameters p = new InferenceParameters(prompt).setNPredict(GEN_TOKENS).setTemperature(0f).setTopP(0.95f)
                .setTopK(40).setSeed(1).setCachePrompt(false);
        List<Long> arrivals = new ArrayList<>();
        for (LlamaOutput o : model.generate(p)) {
            if (!o.text.isEmpty()) {
                arrivals.add(System.nanoTime());
            }
        }
        double span = (arrivals.getLast() - arrivals.getFirst()) / 1e9;
        return new double[] {(arrivals.getFirst() - start) / 1e6, (arrivals.size() - 1) / span};
    }

    static double switchTimes(ModelStore store, Path home, RunnerDefaults d, Path work) throws Exception {
        for (String n : List.of("a", "b")) {
            Path f = work.resolve(n + ".gguf");
            SyntheticLlama.write(LlamaModelSpec.tiny().withSeed(n.hashCode()), f);
            store.importFile(f, ModelName.parse("switch:" + n), false, ImportProgress.NONE);
        }
        RunnerDefaults one = new RunnerDefaults(512, d.threads(), d.batchSize(), 0, 600, 1, d.startTimeout());
        RunnerSupervisor supervisor = new RunnerSupervisor(home, one, new GgufReader(), Clock.systemUTC(), w -> {}, true);
        LocalProvider local = new LocalProvider(store, supervisor);
        ActiveModel active = new ActiveModel(new JdbcRequestLog(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "")));
        local.load("switch:a", RunnerDefaults.Overrides.NONE);
        double[] times = new double[4];
        for (int i = 0; i < times.length; i++) {
            String target = i % 2 == 0 ? "switch:b" : "switch:a";
            long start = System.nanoTime();
            local.load(target, RunnerDefaults.Overrides.NONE); // loads the new one, unloading the old
            active.set(target);
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        supervisor.loaded().forEach(r -> supervisor.stop(ModelName.parse(r.model())));
        return median(times);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
