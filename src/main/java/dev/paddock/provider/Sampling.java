package dev.paddock.provider;

/**
 * Sampling settings beyond temperature, each null for the provider's default: nucleus sampling, the two
 * OpenAI penalties, and log-probabilities of the chosen tokens ({@code topLogprobs} alternatives each).
 */
public record Sampling(Double topP, Double presencePenalty, Double frequencyPenalty, Boolean logprobs, Integer topLogprobs) {
    public static final Sampling DEFAULT = new Sampling(null, null, null, null, null);

    public boolean wantsLogprobs() {
        return Boolean.TRUE.equals(logprobs) || topLogprobs != null && topLogprobs > 0;
    }
}
