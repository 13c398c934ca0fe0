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

    private final java.util.function.UnaryOperator<String> canonical;

    /** @param canonical the spelling runs are filed under, for each model name as typed */
    public Comparisons(BenchRepository runs, Registry registry, java.util.function.UnaryOperator<String> canonical) {
        this.runs = runs;
        this.registry = registry;
        this.canonical = canonical;
    }

    /** A line chart of a model's generation speed over its runs ({@code newestFirst}, as history gives them). */
    /** A model's generation speed over its runs, oldest first, each at the time it started. */
    public static ChartData historyData(String model, List<BenchRun> newestFirst) {
        List<ChartData.Point> points = new ArrayList<>();
        for (BenchRun r : newestFirst.reversed()) {
            Double tg = SpeedSummary.of(r.model(), r.samples()).tgMean();
            if (tg != null) {
                points.add(new ChartData.Point(r.startedAt().toString().substring(0, 16).replace('T', ' '), r.startedAt().getEpochSecond(), tg,
                        null));
            }
        }
        return ChartData.time(model + ": generation speed over time", "tokens/s", false, points);
    }

    public static String historyChart(String model, List<BenchRun> newestFirst) {
        List<SvgChart.Point> points = new ArrayList<>();
        for (BenchRun r : newestFirst.reversed()) {
            Double tg = SpeedSummary.of(r.model(), r.samples()).tgMean();
            if (tg != null) {
                points.add(new SvgChart.Point(r.startedAt().toString().substring(0, 16), tg));
            }
        }
        return SvgChart.line(model + ": generation speed over time", "tokens/s", points);
    }

    /** Whether the run was measured on the engine: an installed engine's id, or "embedded". */
    static boolean ranOn(BenchRun r, String engine) {
        String e = r.engine() == null ? "" : r.engine();
        return engine.equals("embedded") ? e.startsWith("llama.cpp " + dev.paddock.runner.EmbeddedEngine.BUILD)
                : e.contains("(engine " + engine + ")");
    }

    /** Rows for the models with at least one run; {@code missing} receives the others. */
    public List<ComparisonRow> rows(List<String> models, List<String> missing) {
        List<ComparisonRow> out = new ArrayList<>();
        for (String reference : models) {
            // MODEL@ENGINE: the model's latest run on that engine (an installed engine's id, or embedded)
            int at = reference.lastIndexOf('@');
            String engine = at > 0 ? reference.substring(at + 1).strip().toLowerCase(java.util.Locale.ROOT) : null;
            String typed = at > 0 ? reference.substring(0, at) : reference;
            String m = canonical.apply(typed);
            String label = engine == null ? m : m + "@" + engine;
            List<BenchRun> history = runs.history(m, engine == null ? 50 : 500);
            Optional<BenchRun> speed = engine == null ? runs.latestSpeedRun(m) : history.stream()
                    .filter(r -> r.suite().equals(dev.paddock.bench.BenchService.SUITE) && r.status().equals("complete")
                            && !r.samples().isEmpty() && ranOn(r, engine))
                    .findFirst();
            Optional<BenchRun> quality = history.stream().filter(r -> r.suite().startsWith("quality") && r.status().equals("complete"))
                    .findFirst();
            if (engine != null) {
                quality = quality.filter(r -> ranOn(r, engine));
            }
            if (speed.isEmpty() && quality.isEmpty()) {
                missing.add(label);
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
            out.add(new ComparisonRow(label, s, memory, q, e == null || e.price() == null ? null : e.price().inputPerMillion(),
                    e == null || e.price() == null ? null : e.price().outputPerMillion(), contextUse, gpu));
        }
        return out;
    }
}
