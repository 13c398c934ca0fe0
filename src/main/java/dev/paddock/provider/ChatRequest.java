package dev.paddock.provider;

import java.util.List;

/**
 * A chat completion request in Paddock's terms; each provider maps it onto its own wire format.
 * Nulls mean "the provider's default". {@code cachePrompt} false asks llama.cpp to evaluate the whole prompt
 * instead of reusing its cache (a benchmark measures the engine, not the cache); other providers ignore it.
 */
public record ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed,
        List<String> stop, String keepAlive, Boolean cachePrompt) {
    public ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed,
            List<String> stop, String keepAlive) {
        this(model, messages, maxTokens, temperature, seed, stop, keepAlive, null);
    }

    public ChatRequest {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, null, null, null, List.of(), null);
    }

    public ChatRequest withModel(String m) {
        return new ChatRequest(m, messages, maxTokens, temperature, seed, stop, keepAlive, cachePrompt);
    }

    public ChatRequest withoutPromptCache() {
        return new ChatRequest(model, messages, maxTokens, temperature, seed, stop, keepAlive, false);
    }
}
