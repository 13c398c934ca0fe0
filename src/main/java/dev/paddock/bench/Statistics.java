package dev.paddock.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The statistics benchmarks report. Standard deviation is the sample one (n − 1), as llama-bench reports;
 * percentiles interpolate linearly between closest ranks (Hyndman–Fan type 7, as numpy's default and vLLM's
 * serving benchmark): position (n − 1)·p.
 */
public final class Statistics {
    private Statistics() {}

    public static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public static double sampleStdDev(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double m = mean(v);
        double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return Math.sqrt(ss / (v.size() - 1));
    }

    /** {@code p} in [0, 1]. */
    public static double percentile(List<Double> v, double p) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        double h = (s.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    /** Coefficient of variation: sample standard deviation over mean. */
    public static double coefficientOfVariation(List<Double> v) {
        return sampleStdDev(v) / mean(v);
    }
}
