package dev.paddock.provider;

import java.util.List;
import java.util.Objects;

/**
 * Texts to embed with {@code model}; {@code dimensions} asks for shortened vectors where the provider can (null: full
 * length); {@code truncate} cuts an input longer than the model takes to its first tokens (Ollama's default) instead of
 * refusing it.
 */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions, boolean truncate) {
    public EmbeddingRequest(String model, List<String> inputs, Integer dimensions) {
        this(model, inputs, dimensions, false);
    }

    public EmbeddingRequest {
        Objects.requireNonNull(model);
        inputs = List.copyOf(inputs);
    }

    public EmbeddingRequest withInputs(List<String> texts) {
        return new EmbeddingRequest(model, texts, dimensions, truncate);
    }

    public EmbeddingRequest withoutTruncation() {
        return new EmbeddingRequest(model, inputs, dimensions, false);
    }

    public EmbeddingRequest withModel(String m) {
        return new EmbeddingRequest(m, inputs, dimensions, truncate);
    }
}
