import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.MemoryEstimate;
import dev.paddock.hardware.MemoryEstimator;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.LoadedRunner;
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
import java.util.Arrays;
import java.util.List;

/**
 * bench/fit-accuracy: generated models of several sizes, types and context lengths, each loaded in a
 * runner that answers one ordinary prompt; Paddock's memory estimate against the runner's measured peak
 * RSS (VmHWM). Target: every case within ±10%, the median within ±5%.
 */
public class FitAccuracy {
    record Case(String name, LlamaModelSpec spec) {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path home = Files.createTempDirectory("paddock-fit-accuracy-");
        ModelStore store = new ModelStore(new StoreLayout(home),
                new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "")),
                new GgufReader(), Clock.systemUTC(), w -> {});
        List<Case> cases = List.of(
                new Case("tiny-f32", LlamaModelSpec.tiny()),
                new Case("small-f16", LlamaModelSpec.small()),
                new Case("mid-f16", LlamaModelSpec.large().withLayers(512, 8, 1408, 8, 4)),
                new Case("large-f16", LlamaModelSpec.large()),
                new Case("large-q8", LlamaModelSpec.large().withWeights(GgmlType.Q8_0)),
                new Case("wide-f32", LlamaModelSpec.large().withLayers(1024, 6, 2816, 16, 8).withWeights(GgmlType.F32)));
        for (Case c : cases) {
            Path f = home.resolve(c.name() + ".gguf");
            SyntheticLlama.write(c.spec().withContext(8192), f);
            store.importFile(f, ModelName.parse(c.name()), false, ImportProgress.NONE);
            Files.delete(f);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        List<Double> errors = new ArrayList<>();
        boolean withinWorst = true;
        System.out.printf("fit-accuracy: estimate vs the runner's peak RSS after one answer, %d threads%n", threads);
        System.out.printf("  %-10s %6s %12s %12s %8s %12s%n", "model", "ctx", "estimate", "measured", "error", "worst case");
        for (Case c : cases) {
            for (int ctx : new int[] {512, 2048, 8192}) {
                RunnerSupervisor sup = new RunnerSupervisor(home, new RunnerDefaults(ctx, threads, 512, 0, 60, 3,
                        Duration.ofSeconds(120)), new GgufReader(), Clock.systemUTC(), w -> {}, true);
                LocalProvider local = new LocalProvider(store, sup);
                local.chat(new ChatRequest(c.name(), List.of(ChatMessage.user("Hello there, how are you today?")), 16, 0.0,
                        1L, List.of(), null), TokenListener.NONE);
                LoadedRunner r = sup.loaded().getFirst();
                long measured = r.memory().orElseThrow().peakResidentBytes();
                GgufFacts facts = new GgufReader().read(store.blobPath(store.get(ModelName.parse(c.name())))).facts();
                MemoryEstimate e = MemoryEstimator.estimate(facts, ctx, KvCacheType.F16, 512);
                double error = (e.expectedBytes() - measured) * 100.0 / measured;
                errors.add(error);
                withinWorst &= measured <= e.worstCaseBytes();
                System.out.printf("  %-10s %6d %9.1f MiB %9.1f MiB %+7.1f%% %9.1f MiB%n", c.name(), ctx, e.expectedBytes() / 1048576.0,
                        measured / 1048576.0, error, e.worstCaseBytes() / 1048576.0);
                sup.stop(ModelName.parse(c.name()));
            }
        }
        double[] abs = errors.stream().mapToDouble(Math::abs).sorted().toArray();
        double median = abs.length % 2 == 1 ? abs[abs.length / 2] : (abs[abs.length / 2 - 1] + abs[abs.length / 2]) / 2;
        double worst = Arrays.stream(abs).max().orElse(0);
        System.out.printf("  %d cases: median |error| %.1f%% (target <= 5), largest %.1f%% (target <= 10); measured <= worst case in every case: %s%n",
                abs.length, median, worst, withinWorst ? "yes" : "NO");
        System.out.println("  verdict: " + (median <= 5 && worst <= 10 && withinWorst ? "targets met" : "TARGET MISSED"));
        System.exit(0);
    }
}
