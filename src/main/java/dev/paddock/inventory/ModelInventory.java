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
    private final ModelStore store;
    private final Providers providers;
    private final BenchRepository runs;
    private final GgufReader reader = new GgufReader();

    public ModelInventory(ModelStore store, Providers providers, BenchRepository runs) {
        this.store = store;
        this.providers = providers;
        this.runs = runs;
    }

    /**
     * @param remote whether to ask the other providers too
     * @param warnings receives one line per provider that could not be asked (quiet providers say nothing)
     */
    public List<InventoryRow> list(boolean remote, Consumer<String> warnings) {
        List<InventoryRow> rows = new ArrayList<>();
        SystemMemory memory = SystemMemory.detect();
        CpuTopology cpu = CpuTopology.detect();
        for (StoredModel m : store.list()) {
            Boolean fits = null;
            try {
                fits = FitPlan.plan(reader.read(store.blobPath(m)).facts(), null, KvCacheType.F16, memory, cpu).fits();
            } catch (PaddockException e) {
                warnings.accept(m.name() + ": " + e.getMessage());
            }
            rows.add(row(m.name().toString(), LocalProvider.NAME, m.sizeBytes(), m.parameterCount(), m.quantization(), m.contextLength(),
                    fits, m.addedAt(), m.digest().toString()));
        }
        if (!remote) {
            return rows;
        }
        for (ProviderModel m : providers.listAllExcept(LocalProvider.NAME, warnings)) { // the store's are listed above
            rows.add(row(m.provider() + "/" + m.name(), m.provider(), m.sizeBytes(), m.parameterCount(), m.quantization(),
                    m.contextLength(), null, null, null));
        }
        return rows;
    }

    /** A row with the speed of the model's latest benchmark, if it has one. */
    private InventoryRow row(String name, String provider, Long size, Long parameters, String quantization, Long context, Boolean fits,
            Instant added, String digest) {
        Optional<BenchRun> last = runs.latestSpeedRun(name);
        return new InventoryRow(name, provider, size, parameters, quantization, context, fits, added, digest,
                last.map(r -> SpeedSummary.of(name, r.samples()).tgMean()).orElse(null), last.map(BenchRun::startedAt).orElse(null));
    }
}
