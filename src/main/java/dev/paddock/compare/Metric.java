package dev.paddock.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The columns of a comparison that have a winner: what each measures, its unit and which way is better. */
public enum Metric {
    TG("tg", "Generation speed", "tokens/s", true, r -> r.speed() == null ? null : r.speed().tgMean(),
            r -> r.speed() == null ? null : r.speed().tgSd()),
    PP("pp", "Prompt speed", "tokens/s", true, r -> r.speed() == null ? null : r.speed().ppMean(),
            r -> r.speed() == null ? null : r.speed().ppSd()),
    TTFT("ttft", "Time to first token", "ms", false, r -> r.speed() == null ? null : r.speed().ttftMean(), r -> null),
    ITL_P99("itl_p99", "Inter-token latency p99", "ms", false, r -> r.speed() == null ? null : r.speed().itlP99(), r -> null),
    E2E("e2e", "End-to-end latency", "ms", false, r -> r.speed() == null ? null : r.speed().e2eMean(), r -> null),
    MEMORY("memory", "Peak memory", "MiB", false, r -> r.peakRssBytes() == null ? null : r.peakRssBytes() / 1048576.0, r -> null),
    GPU_MEMORY("gpu_memory", "GPU memory", "MiB", false, r -> r.gpuMemoryBytes() == null ? null : r.gpuMemoryBytes() / 1048576.0,
            r -> null),
    QUALITY("quality", "Quality", "%", true, r -> r.quality() == null ? null : 100 * r.quality(), r -> null),
    PRICE_IN("price_in", "Input price", "$/1M tokens", false, ComparisonRow::inputPrice, r -> null),
    PRICE_OUT("price_out", "Output price", "$/1M tokens", false, ComparisonRow::outputPrice, r -> null);

    private final String wire;
    private final String title;
    private final String unit;
    private final boolean higherIsBetter;
    private final Function<ComparisonRow, Double> value;
    private final Function<ComparisonRow, Double> sd;

    Metric(String wire, String title, String unit, boolean higherIsBetter, Function<ComparisonRow, Double> value,
            Function<ComparisonRow, Double> sd) {
        this.wire = wire;
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.value = value;
        this.sd = sd;
    }

    public String wire() {
        return wire;
    }

    public String title() {
        return title;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public Double value(ComparisonRow r) {
        return value.apply(r);
    }

    public static Metric parse(String s) {
        for (Metric m : values()) {
            if (m.wire.equals(s)) {
                return m;
            }
        }
        throw dev.paddock.error.PaddockException.invalidInput("unknown metric \"" + s + "\"; use one of "
                + java.util.Arrays.stream(values()).map(Metric::wire).toList());
    }

    /**
     * The models that win this column: none when fewer than two rows have a value (nothing was compared), when the
     * best is nothing to win with (0 or less where higher is better: a 0 % quality), or when its lead over the
     * runner-up is within the runs' noise (twice their pooled standard deviation, where the column has one, as
     * {@code bench --compare-to} judges a change).
     */
    public List<String> winners(List<ComparisonRow> rows) {
        List<ComparisonRow> valued = rows.stream().filter(r -> value(r) != null && Double.isFinite(value(r))).toList();
        if (valued.size() < 2) {
            return List.of();
        }
        java.util.Comparator<ComparisonRow> better = java.util.Comparator.comparingDouble(this::value);
        List<ComparisonRow> ranked = valued.stream().sorted(higherIsBetter ? better.reversed() : better).toList();
        double best = value(ranked.getFirst());
        if (higherIsBetter && best <= 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        ranked.stream().filter(r -> value(r) == best).forEach(r -> out.add(r.model()));
        ComparisonRow runnerUp = ranked.stream().filter(r -> value(r) != best).findFirst().orElse(null);
        if (runnerUp != null) {
            Double a = sd.apply(ranked.getFirst());
            Double b = sd.apply(runnerUp);
            if (a != null && b != null && Math.abs(best - value(runnerUp)) <= 2 * Math.sqrt((a * a + b * b) / 2)) {
                return List.of(); // within the noise: no winner to mark
            }
        }
        return out;
    }

    /** Winners of every column, keyed by the column's wire name. */
    public static Map<String, List<String>> allWinners(List<ComparisonRow> rows) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Metric m : values()) {
            out.put(m.wire, m.winners(rows));
        }
        return out;
    }

    /** A bar chart of this column, with ± one standard deviation where the column has one. */
    /** This column as bars, one per model that has a value, with its spread. */
    public ChartData chartData(List<ComparisonRow> rows) {
        return ChartData.bars(title, unit, rows.stream().filter(r -> value(r) != null)
                .map(r -> new ChartData.Point(r.model(), null, value(r), sd.apply(r))).toList());
    }

    public String chart(List<ComparisonRow> rows) {
        return SvgChart.bars(title, unit, rows.stream().filter(r -> value(r) != null)
                .map(r -> new SvgChart.Bar(r.model(), value(r), sd.apply(r) == null ? 0 : sd.apply(r))).toList());
    }
}
