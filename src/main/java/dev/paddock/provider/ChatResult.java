package dev.paddock.provider;

import java.time.Duration;
import java.util.List;

/**
 * What a completed chat produced and how fast, measured client side: {@code tokenArrivals} are the
 * offsets from sending the request to each streamed piece of text. Token counts and engine timings
 * are the provider's own where it reports them, else null — never invented.
 */
public record ChatResult(
        String text,
        String finishReason,
        Integer promptTokens,
        Integer completionTokens,
        Duration timeToFirstToken,
        Duration total,
        List<Duration> tokenArrivals,
        EngineTimings engineTimings) {

    public ChatResult {
        tokenArrivals = List.copyOf(tokenArrivals);
    }

    /**
     * The engine's own account of a request (llama-server's timings, Ollama's eval_* fields);
     * {@code cachedPromptTokens} are prompt tokens taken from the engine's cache rather than evaluated (null: not said).
     */
    public record EngineTimings(int promptTokens, double promptMillis, int generatedTokens, double generatedMillis,
            Double loadMillis, Integer cachedPromptTokens) {
        public EngineTimings(int promptTokens, double promptMillis, int generatedTokens, double generatedMillis, Double loadMillis) {
            this(promptTokens, promptMillis, generatedTokens, generatedMillis, loadMillis, null);
        }

        public double promptTokensPerSecond() {
            return promptMillis <= 0 ? 0 : promptTokens * 1000.0 / promptMillis;
        }

        public double generatedTokensPerSecond() {
            return generatedMillis <= 0 ? 0 : generatedTokens * 1000.0 / generatedMillis;
        }
    }
}
