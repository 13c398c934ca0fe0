package dev.paddock.provider;

/**
 * Sampling settings beyond temperature, each null for the provider's default: nucleus sampling, the two
 * OpenAI penalties, log-probabilities of the chosen tokens ({@code topLogprobs} alternatives each), and
 * {@code choices}, how many answers to sample from the one prompt (OpenAI's {@code n}).
 */
public record Sampling(Double topP, Double presencePenalty, Double frequencyPenalty, Boolean logprobs, Integer topLogprobs,
        Integer choices) {
    public static final Sampling DEFAULT = new Sampling(null, null, null, null, null, null);

    public Sampling(Double topP, Double presencePenalty, Double frequencyPenalty, Boolean logprobs, Integer topLogprobs) {
        this(topP, presencePenalty, frequencyPenalty, logprobs, topLogprobs, null);
    }

    /** How many answers are asked for: 1 unless {@code n} says more. */
    public int choiceCount() {
        return choices == null ? 1 : choices;
    }

    public boolean wantsLogprobs() {
        return Boolean.TRUE.equals(logprobs) || topLogprobs != null && topLogprobs > 0;
    }
}
