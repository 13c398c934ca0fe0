package dev.paddock.compare;

import java.util.List;

/**
 * A chart's data, as the dashboard draws it (with uPlot) and the API serves it ({@code ?format=json}): bars by label,
 * or a line over time. An empty list of points is a chart with no data yet, which is said, never drawn as zeros.
 *
 * @param counts whether the values are counts (requests, errors): whole-number ticks only
 */
public record ChartData(String title, String unit, String kind, boolean counts, List<Point> points) {
    public static final String BARS = "bars";
    public static final String TIME = "time";

    /**
     * @param label a bar's label (a line's points may have one too)
     * @param time a line's point in epoch seconds; null for bars
     * @param sd a bar's sample standard deviation; null when it has none
     */
    public record Point(String label, Long time, double value, Double sd) {}

    public ChartData {
        points = List.copyOf(points);
    }

    public static ChartData bars(String title, String unit, List<Point> points) {
        return new ChartData(title, unit, BARS, false, points);
    }

    public static ChartData time(String title, String unit, boolean counts, List<Point> points) {
        return new ChartData(title, unit, TIME, counts, points);
    }
}
