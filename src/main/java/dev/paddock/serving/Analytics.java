package dev.paddock.serving;

import dev.paddock.bench.Statistics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Request figures per model over a time range, from the request log: counts, error rate, latency percentiles
 * (linear interpolation, as {@link Statistics#percentile}), generation speed, tokens and cost (as recorded with each
 * request, at the list price of its day). Cost is null where a request's cost is unknown (local models, unpriced
 * cloud models) — never $0.
 */
public final class Analytics {
    public record ModelFigures(String model, String provider, int requests, int errors, double errorRate, Double p50LatencyMillis,
            Double p95LatencyMillis, Double p50TtftMillis, Double meanTokensPerSecond, long promptTokens, long completionTokens,
            Double costUsd, long toolCalls, int structuredRequests) {}

    /** One bucket of the time series: requests started in [start, start + width). */
    public record Bucket(Instant start, int requests, int errors, Double p50LatencyMillis, Double costUsd) {}

    public record Report(Instant from, Instant to, List<ModelFigures> models, List<Bucket> series) {}

    private final RequestLog log;

    public Analytics(RequestLog log) {
        this.log = log;
    }

    /** Figures for requests started in [from, to); {@code buckets} slices of the range for the series. */
    public Report report(Instant from, Instant to, String model, int buckets) {
        if (!to.isAfter(from)) {
            throw dev.paddock.error.PaddockException.invalidInput("the range is empty: \"to\" (" + to + ") must be after \"from\" (" + from + ")");
        }
        List<RequestRecord> all = log.since(from, model).stream().filter(r -> r.startedAt().isBefore(to)).toList();
        Map<String, List<RequestRecord>> byModel = new TreeMap<>();
        all.forEach(r -> byModel.computeIfAbsent(r.provider() + "\u0000" + r.model(), k -> new ArrayList<>()).add(r));
        List<ModelFigures> figures = new ArrayList<>();
        byModel.values().forEach(rs -> figures.add(figures(rs)));
        int n = Math.max(1, Math.min(500, buckets));
        Duration width = Duration.between(from, to).dividedBy(n);
        if (width.isZero()) {
            width = Duration.ofMillis(1);
        }
        Map<Integer, List<RequestRecord>> slices = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            slices.put(i, new ArrayList<>());
        }
        for (RequestRecord r : all) {
            int i = (int) Math.min(n - 1, Duration.between(from, r.startedAt()).toMillis() / Math.max(1, width.toMillis()));
            slices.get(i).add(r);
        }
        List<Bucket> series = new ArrayList<>();
        for (var e : slices.entrySet()) {
            List<RequestRecord> rs = e.getValue();
            List<Double> latency = rs.stream().filter(r -> RequestRecord.OK.equals(r.outcome())).map(RequestRecord::durationMillis).toList();
            series.add(new Bucket(from.plus(width.multipliedBy(e.getKey())), rs.size(),
                    (int) rs.stream().filter(r -> !RequestRecord.OK.equals(r.outcome())).count(),
                    latency.isEmpty() ? null : Statistics.percentile(latency, 0.5), cost(rs)));
        }
        return new Report(from, to, figures, series);
    }

    private ModelFigures figures(List<RequestRecord> rs) {
        UsageStats u = UsageStats.of(rs);
        List<Double> latency = rs.stream().filter(r -> RequestRecord.OK.equals(r.outcome())).map(RequestRecord::durationMillis).toList();
        List<Double> ttft = rs.stream().filter(r -> RequestRecord.OK.equals(r.outcome()) && r.ttftMillis() != null)
                .map(RequestRecord::ttftMillis).toList();
        RequestRecord first = rs.getFirst();
        return new ModelFigures(first.model(), first.provider(), u.requests(), u.errors(), u.errorRate(),
                latency.isEmpty() ? null : Statistics.percentile(latency, 0.5), latency.isEmpty() ? null : Statistics.percentile(latency, 0.95),
                ttft.isEmpty() ? null : Statistics.percentile(ttft, 0.5), u.meanTokensPerSecond(), u.promptTokens(), u.completionTokens(),
                cost(rs), rs.stream().mapToLong(RequestRecord::toolCalls).sum(), (int) rs.stream().filter(RequestRecord::structured).count());
    }

    /** Summed cost, or null when an answered request's cost is unknown (a failed one that recorded none cost nothing). */
    private static Double cost(List<RequestRecord> rs) {
        double total = 0;
        for (RequestRecord r : rs) {
            if (r.costUsd() != null) {
                total += r.costUsd();
            } else if (RequestRecord.OK.equals(r.outcome())) {
                return null;
            }
        }
        return total;
    }
}
