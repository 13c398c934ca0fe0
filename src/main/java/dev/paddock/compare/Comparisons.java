package dev.paddock.compare;

import dev.paddock.bench.BenchRepository;
import dev.paddock.bench.BenchRun;
import dev.paddock.bench.QualityBench;
import dev.paddock.bench.RunResources;
import dev.paddock.bench.SpeedSample;
import dev.paddock.bench.SpeedSummary;
import dev.paddock.registry.Registry;
import dev.paddock.registry.RegistryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds comparison rows from each model's latest runs, its registry entry and its runner's figures. */
public final class Comparisons {
    private final BenchRepository runs;
    private final Registry registry;

    public Comparisons(BenchRepository runs, Registry registry) {
        this.runs = runs;
        this.registry = registry;
    }

    /** Rows for the models with at least one run; {@code missing} receives the others. */
    public List<ComparisonRow> rows(List<String> models, List<String> missing) {
        List<ComparisonRow> out = new ArrayList<>();
        for (String m : models) {
            List<BenchRun> history = runs.history(m, 50);
            Optional<BenchRun> speed = history.stream().filter(r -> r.suite().equals("speed") && !r.samples().isEmpty()).findFirst();
            Optional<BenchRun> quality = history.stream().filter(r -> r.suite().startsWith("quality")).findFirst();
            if (speed.isEmpty() && quality.isEmpty()) {
                missing.add(m);
                continue;
            }
            SpeedSummary s = speed.map(r -> SpeedSummary.of(m, r.samples())).orElse(null);
            RunResources res = speed.map(r -> runs.resources(r.id())).orElse(RunResources.UNKNOWN);
            Double q = quality.map(r -> QualityBench.score(runs.answers(r.id())).overall()).filter(x -> !x.isNaN()).orElse(null);
            RegistryEntry e = registry.find(m).orElse(null);
            Double contextUse = null;
            if (res.contextSize() != null && speed.isPresent()) {
                double used = speed.get().samples().stream().filter(x -> !x.failed())
                        .mapToDouble(x -> x.promptTokens() + x.outputTokens()).max().orElse(0);
                contextUse = used / res.contextSize();
            }
            Long memory = res.peakRssBytes() != null ? res.peakRssBytes() : res.reportedBytes();
            Long gpu = res.gpuMemoryBytes() != null ? res.gpuMemoryBytes() : res.reportedVramBytes();
            out.add(new ComparisonRow(m, s, memory, q, e == null || e.price() == null ? null : e.price().inputPerMillion(),
                    e == null || e.price() == null ? null : e.price().outputPerMillion(), contextUse, gpu));
        }
        return out;
    }
}
