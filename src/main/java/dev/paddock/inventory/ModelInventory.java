package dev.paddock.inventory;

import dev.paddock.bench.BenchRepository;
import dev.paddock.bench.BenchRun;
import dev.paddock.bench.SpeedSummary;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufReader;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.FitPlan;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoredModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Every model Paddock can reach: the local store first, then each provider's; what `list` and the dashboard show. */
public final class ModelInventory {
    private final java.util.function.Supplier<ModelStore> stores;
    private final java.util.function.Supplier<Optional<String>> currentEngine;
    private final java.util.function.Supplier<Providers> providers;
    private final java.util.function.Supplier<BenchRepository> benchRuns;
    private final GgufReader reader = new GgufReader();

    /**
     * The parts are made when first needed: the other providers are asked (when they are) before the store and
     * the database are opened, so the two overlap.
     */
    public ModelInventory(java.util.function.Supplier<ModelStore> stores, java.util.function.Supplier<Providers> providers,
            java.util.function.Supplier<BenchRepository> benchRuns) {
        this(stores, providers, benchRuns, java.util.Optional::empty);
    }

    /** @param currentEngine the label of the llama-server that serves local models, empty when the embedded engine does */
    public ModelInventory(java.util.function.Supplier<ModelStore> stores, java.util.function.Supplier<Providers> providers,
            java.util.function.Supplier<BenchRepository> benchRuns, java.util.function.Supplier<Optional<String>> currentEngine) {
        this.currentEngine = currentEngine;
        this.stores = stores;
        this.providers = providers;
        this.benchRuns = benchRuns;
    }

    /**
     * @param remote whether to ask the other providers too
     * @param warnings receives one line per provider that could not be asked (quiet providers say nothing)
     */
    public List<InventoryRow> list(boolean remote, Consumer<String> warnings) {
        List<InventoryRow> rows = new ArrayList<>();
        List<String> remoteWarnings = java.util.Collections.synchronizedList(new ArrayList<>());
        // the other providers are asked while the store is read (on two cores the two overlap)
        java.util.concurrent.CompletableFuture<List<ProviderModel>> others = remote
                ? java.util.concurrent.CompletableFuture.supplyAsync(() -> providers.get().listAllExcept(LocalProvider.NAME,
                        remoteWarnings::add), task -> Thread.ofVirtual().start(task))
                : java.util.concurrent.CompletableFuture.completedFuture(List.of());
        ModelStore store = stores.get();
        BenchRepository runs = benchRuns.get();
        java.util.Set<String> benchmarked = runs.modelsWithSpeedRuns();
        SystemMemory memory = SystemMemory.detect();
        CpuTopology cpu = CpuTopology.detect();
        Optional<String> engine = currentEngine.get();
        for (StoredModel m : store.list()) {
            Boolean fits = null;
            Boolean runnable = null;
            String problem = null;
            try {
                var file = reader.read(store.blobPath(m));
                var facts = file.facts();
                problem = store.loadProblem(m, file).orElse(null);
                runnable = dev.paddock.engine.EngineVerdict.of(m.name().toString(), facts, engine).runnable() && problem == null;
                // a model that no installed engine loads does not fit, whatever its memory
                fits = runnable && FitPlan.plan(facts, null, KvCacheType.F16, memory, cpu, m.projectorBytes()).fits();
            } catch (PaddockException e) {
                problem = e.getMessage();
                runnable = false; // its file cannot be read, so no engine loads it
                fits = false;
            }
            if (problem != null && !problem.contains("moved")) { // the store itself warns of moved files
                warnings.accept(m.name() + ": " + problem);
            }
            rows.add(row(m.name().toString(), LocalProvider.NAME, m.sizeBytes(), m.parameterCount(), m.quantization(), m.contextLength(),
                    fits, m.addedAt(), m.digest().toString(), benchmarked, runs, runnable, m.vision(), problem));
        }
        if (!remote) {
            return rows;
        }
        List<ProviderModel> theirs;
        try {
            theirs = others.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        remoteWarnings.forEach(warnings); // after the store's own, in the providers' order
        for (ProviderModel m : theirs) { // the store's are listed above
            rows.add(row(m.provider() + "/" + m.name(), m.provider(), m.sizeBytes(), m.parameterCount(), m.quantization(),
                    m.contextLength(), null, null, null, benchmarked, runs, null, null, null));
        }
        return rows;
    }

    /** A row with the speed of the model's latest benchmark, if it has one. */
    private InventoryRow row(String name, String provider, Long size, Long parameters, String quantization, Long context, Boolean fits,
            Instant added, String digest, java.util.Set<String> benchmarked, BenchRepository runs, Boolean runnable, Boolean vision,
            String problem) {
        Optional<BenchRun> last = benchmarked.contains(name) ? runs.latestSpeedRun(name) : Optional.empty();
        return new InventoryRow(name, provider, size, parameters, quantization, context, fits, added, digest,
                last.map(r -> SpeedSummary.of(name, r.samples()).tgMean()).orElse(null), last.map(BenchRun::startedAt).orElse(null),
                runnable, vision, problem);
    }
}
