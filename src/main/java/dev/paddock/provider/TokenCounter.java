package dev.paddock.provider;

/** A provider that counts a request's input tokens without answering it (the local engine, Anthropic). */
public interface TokenCounter {
    int countTokens(ChatRequest request);
}
