package dev.paddock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a run moved beyond run-to-run noise against an earlier one: a metric regressed (or improved) when
 * its mean moved by more than twice the pooled sample standard deviation of the two runs.
 */
public final class Regression {
    public enum Verdict { REGRESSED, IMPROVED, WITHIN_NOISE }

    public record Finding(String metric, int promptTokens, double before, double after, double threshold, Verdict verdict) {
        public String describe() {
            return String.format(Locale.ROOT, "%s at %d prompt tokens: %.1f → %.1f (%+.1f%%, noise ±%.1f): %s", metric, promptTokens,
                    before, after, (after / before - 1) * 100, threshold, verdict.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
    }

    private Regression() {}

    public static List<Finding> compare(BenchRun before, BenchRun after) {
        List<Finding> out = new ArrayList<>();
        for (int prompt : after.samples().stream().filter(s -> !s.failed()).map(SpeedSample::promptTokens).distinct().toList()) {
            List<SpeedSample> b = before.samples().stream().filter(s -> !s.failed() && Math.abs(s.promptTokens() - prompt) <= 2).toList();
            List<SpeedSample> a = after.samples().stream().filter(s -> !s.failed() && s.promptTokens() == prompt).toList();
            if (b.isEmpty()) {
                continue;
            }
            add(out, "tg tokens/s", prompt, values(b, SpeedSample::generationTokensPerSecond), values(a, SpeedSample::generationTokensPerSecond), true);
            add(out, "pp tokens/s", prompt, values(b, SpeedSample::promptTokensPerSecond), values(a, SpeedSample::promptTokensPerSecond), true);
            add(out, "TTFT ms", prompt, values(b, SpeedSample::ttftMillis), values(a, SpeedSample::ttftMillis), false);
        }
        return out;
    }

    static void add(List<Finding> out, String metric, int prompt, List<Double> before, List<Double> after, boolean higherIsBetter) {
        if (before.isEmpty() || after.isEmpty()) {
            return;
        }
        double mb = Statistics.mean(before);
        double ma = Statistics.mean(after);
        double sb = Statistics.sampleStdDev(before);
        double sa = Statistics.sampleStdDev(after);
        double threshold = 2 * Math.sqrt((sb * sb + sa * sa) / 2);
        double delta = higherIsBetter ? ma - mb : mb - ma; // positive: better
        Verdict v = Math.abs(ma - mb) <= threshold ? Verdict.WITHIN_NOISE : delta < 0 ? Verdict.REGRESSED : Verdict.IMPROVED;
        out.add(new Finding(metric, prompt, mb, ma, threshold, v));
    }

    private static List<Double> values(List<SpeedSample> s, java.util.function.Function<SpeedSample, Double> f) {
        return s.stream().map(f).filter(x -> x != null).toList();
    }
}
