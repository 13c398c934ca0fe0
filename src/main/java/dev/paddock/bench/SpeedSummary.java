package dev.paddock.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The repetitions of one model at one prompt length, summarised: mean ± sample SD, percentiles of every gap;
 * {@code engineTgMean} is generation speed as the engine timed it (null when it reports none).
 */
public record SpeedSummary(String model, int promptTokens, int repetitions, int errors, Double ppMean, Double ppSd,
        Double tgMean, Double tgSd, Double ttftMean, Double itlP50, Double itlP90, Double itlP99, Double tpotMean,
        Double e2eMean, Double whPerThousandTokens, Double engineTgMean) {

    public static SpeedSummary of(String model, List<SpeedSample> samples) {
        List<SpeedSample> ok = samples.stream().filter(s -> !s.failed()).toList();
        List<Double> pp = ok.stream().map(SpeedSample::promptTokensPerSecond).filter(x -> x != null).toList();
        List<Double> tg = ok.stream().map(SpeedSample::generationTokensPerSecond).filter(x -> x != null).toList();
        List<Double> ttft = ok.stream().map(SpeedSample::ttftMillis).filter(x -> x != null).toList();
        List<Double> engineTg = ok.stream().map(SpeedSample::engineGenerationTokensPerSecond).filter(x -> x != null).toList();
        List<Double> tpot = ok.stream().map(SpeedSample::tpotMillis).filter(x -> x != null).toList();
        List<Double> e2e = ok.stream().map(SpeedSample::endToEndMillis).toList();
        List<Double> itl = new ArrayList<>();
        ok.forEach(s -> itl.addAll(s.itlMillis()));
        int prompt = ok.isEmpty() ? 0 : (int) Math.round(ok.stream().mapToInt(SpeedSample::promptTokens).average().orElse(0));
        return new SpeedSummary(model, prompt, samples.size(), samples.size() - ok.size(), nan(Statistics.mean(pp)),
                pp.isEmpty() ? null : Statistics.sampleStdDev(pp), nan(Statistics.mean(tg)), tg.isEmpty() ? null : Statistics.sampleStdDev(tg),
                nan(Statistics.mean(ttft)), nan(Statistics.percentile(itl, 0.5)), nan(Statistics.percentile(itl, 0.9)),
                nan(Statistics.percentile(itl, 0.99)), nan(Statistics.mean(tpot)), nan(Statistics.mean(e2e)), energy(ok),
                nan(Statistics.mean(engineTg)));
    }

    /** Wh per 1,000 generated tokens, when every repetition measured its energy. */
    private static Double energy(List<SpeedSample> ok) {
        if (ok.isEmpty() || ok.stream().anyMatch(s -> s.energyJoules() == null)) {
            return null;
        }
        double joules = ok.stream().mapToDouble(SpeedSample::energyJoules).sum();
        long tokens = ok.stream().mapToLong(SpeedSample::outputTokens).sum();
        return nan(dev.paddock.hardware.EnergyMeter.whPerThousandTokens(joules, tokens));
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
