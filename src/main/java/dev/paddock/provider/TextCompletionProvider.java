package dev.paddock.provider;

/**
 * A provider that continues raw text with no chat template ({@code /v1/completions}): the local engine,
 * OpenAI-compatible servers, Ollama's raw generate. {@code settings} carries the sampling settings; its messages are unused.
 */
public interface TextCompletionProvider {
    ChatResult complete(ChatRequest settings, String prompt, TokenListener listener);
}
