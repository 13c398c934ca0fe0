package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * What a completed chat produced and how fast, measured client side: {@code tokenArrivals} are the
 * offsets from sending the request to each streamed piece of text. Token counts and engine timings
 * are the provider's own where it reports them, else null — never invented. {@code finishReason} is in
 * OpenAI's words ({@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}) whichever provider answered.
 * The fields of the answer are its first choice; {@code alternatives} are the others when more were asked for
 * ({@code n}), with the usage and timings of all of them together. {@code stopSequence} is the stop string that ended
 * the first choice, where the provider says which (llama-server, Anthropic); null when it ended otherwise or is not said.
 */
public record ChatResult(
        String text,
        String finishReason,
        Integer promptTokens,
        Integer completionTokens,
        Duration timeToFirstToken,
        Duration total,
        List<Duration> tokenArrivals,
        EngineTimings engineTimings,
        List<ToolCall> toolCalls,
        String reasoning,
        JsonNode logprobs,
        Integer cachedPromptTokens,
        List<Choice> alternatives,
        String stopSequence) {

    /** One sampled answer of a request that asked for several: what {@link ChatResult} holds of its first. */
    public record Choice(int index, String text, String finishReason, List<ToolCall> toolCalls, String reasoning, JsonNode logprobs) {
        public Choice {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            reasoning = reasoning == null || reasoning.isEmpty() ? null : reasoning;
        }
    }

    public ChatResult(String text, String finishReason, Integer promptTokens, Integer completionTokens, Duration timeToFirstToken,
            Duration total, List<Duration> tokenArrivals, EngineTimings engineTimings, List<ToolCall> toolCalls, String reasoning,
            JsonNode logprobs, Integer cachedPromptTokens) {
        this(text, finishReason, promptTokens, completionTokens, timeToFirstToken, total, tokenArrivals, engineTimings, toolCalls,
                reasoning, logprobs, cachedPromptTokens, List.of(), null);
    }

    /** Every choice, the first one first. */
    public List<Choice> choices() {
        List<Choice> all = new java.util.ArrayList<>();
        all.add(new Choice(0, text, finishReason, toolCalls, reasoning, logprobs));
        all.addAll(alternatives);
        return all;
    }

    public ChatResult {
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
        tokenArrivals = List.copyOf(tokenArrivals);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        reasoning = reasoning == null || reasoning.isEmpty() ? null : reasoning;
        stopSequence = stopSequence == null || stopSequence.isEmpty() ? null : stopSequence;
        if (cachedPromptTokens == null && engineTimings != null) {
            cachedPromptTokens = engineTimings.cachedPromptTokens();
        }
    }

    public ChatResult(String text, String finishReason, Integer promptTokens, Integer completionTokens, Duration timeToFirstToken,
            Duration total, List<Duration> tokenArrivals, EngineTimings engineTimings) {
        this(text, finishReason, promptTokens, completionTokens, timeToFirstToken, total, tokenArrivals, engineTimings,
                List.of(), null, null, null);
    }

    /** This result with the time its request spent loading the model, in the engine's timings (where it reported them). */
    public ChatResult withLoadTime(Duration load) {
        if (engineTimings == null) {
            return this;
        }
        EngineTimings t = engineTimings;
        return new ChatResult(text, finishReason, promptTokens, completionTokens, timeToFirstToken, total, tokenArrivals,
                new EngineTimings(t.promptTokens(), t.promptMillis(), t.generatedTokens(), t.generatedMillis(), load.toNanos() / 1e6,
                        t.cachedPromptTokens()), toolCalls, reasoning, logprobs, cachedPromptTokens, alternatives, stopSequence);
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
