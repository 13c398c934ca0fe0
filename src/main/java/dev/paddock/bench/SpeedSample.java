package dev.paddock.bench;

import java.util.List;

/**
 * One measured request. Definitions (the README's "Measuring"): TTFT from sending to the first token,
 * client side; ITL the gaps between successive tokens; TPOT = (end-to-end − TTFT) / (output tokens − 1),
 * as vLLM defines it; tg = output tokens after the first per second from the first to the last token; pp = prompt tokens per
 * second of prompt processing, from the engine's own timings (null when it reports none). Energy: the CPU
 * packages' RAPL counters over the request (null where they cannot be read). {@code engineGenerationTokensPerSecond}: tg
 * as the engine itself timed it (llama-server's {@code timings}), beside the client-side figure.
 */
public record SpeedSample(int repetition, int promptTokens, int outputTokens, Double promptTokensPerSecond,
        Double generationTokensPerSecond, Double ttftMillis, Double tpotMillis, double endToEndMillis, List<Double> itlMillis,
        String error, Double energyJoules, Double engineGenerationTokensPerSecond) {

    public SpeedSample {
        itlMillis = List.copyOf(itlMillis);
    }

    public SpeedSample(int repetition, int promptTokens, int outputTokens, Double promptTokensPerSecond,
            Double generationTokensPerSecond, Double ttftMillis, Double tpotMillis, double endToEndMillis, List<Double> itlMillis,
            String error, Double energyJoules) {
        this(repetition, promptTokens, outputTokens, promptTokensPerSecond, generationTokensPerSecond, ttftMillis, tpotMillis,
                endToEndMillis, itlMillis, error, energyJoules, null);
    }

    public boolean failed() {
        return error != null;
    }
}
