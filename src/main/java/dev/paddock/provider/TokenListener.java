package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;

/** Receives a streamed answer as it arrives: its text, and what else the stream carries beside it. */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = text -> {};

    void token(String text);

    /** Reasoning ("thinking") text, kept apart from the answer. */
    default void reasoning(String text) {}

    /**
     * A piece of tool call {@code index}: its id and name come with its first piece, the arguments' JSON text
     * in pieces (OpenAI's streamed {@code tool_calls} deltas).
     */
    default void toolCall(int index, String id, String name, String argumentsPiece) {}

    /** The log-probabilities of the tokens just streamed, in OpenAI's {@code logprobs.content} entries. */
    default void logprobs(JsonNode entries) {}

    /**
     * The size of the prompt, {@code cached} of its {@code tokens} taken from the engine's cache, said before the answer
     * where the provider says it that early (llama-server's prompt progress, Anthropic's {@code message_start}).
     */
    default void promptSize(int tokens, int cached) {}

    /**
     * Whether this listener uses {@link #promptSize} (Anthropic's {@code message_start} does): only then is llama-server asked
     * for its prompt progress, an extra event that wakes the reader before the first token.
     */
    default boolean wantsPromptSize() {
        return false;
    }

    /**
     * Hears choice {@code index} of a request that asked for several ({@code n}): this listener for the first, and by
     * default nothing for the others, which a listener that streams them overrides.
     */
    default TokenListener choice(int index) {
        return index == 0 ? this : NONE;
    }

    /** This listener with every call also counted by {@code onAny} first (a fallback needs to know that something arrived). */
    default TokenListener onEach(Runnable onAny) {
        TokenListener self = this;
        return new TokenListener() {
            @Override
            public void token(String text) {
                onAny.run();
                self.token(text);
            }

            @Override
            public void reasoning(String text) {
                onAny.run();
                self.reasoning(text);
            }

            @Override
            public void toolCall(int index, String id, String name, String argumentsPiece) {
                onAny.run();
                self.toolCall(index, id, name, argumentsPiece);
            }

            @Override
            public void logprobs(JsonNode entries) {
                self.logprobs(entries);
            }

            @Override
            public void promptSize(int tokens, int cached) {
                self.promptSize(tokens, cached); // nothing has reached the client yet: a fallback is still possible
            }

            @Override
            public boolean wantsPromptSize() {
                return self.wantsPromptSize();
            }

            @Override
            public TokenListener choice(int index) {
                return index == 0 ? this : self.choice(index).onEach(onAny);
            }
        };
    }
}
