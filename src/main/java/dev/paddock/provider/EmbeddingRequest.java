package dev.paddock.provider;

import java.util.List;
import java.util.Objects;

/** Texts to embed with {@code model}; {@code dimensions} asks for shortened vectors where the provider can (null: full length). */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions) {
    public EmbeddingRequest {
        Objects.requireNonNull(model);
        inputs = List.copyOf(inputs);
    }

    public EmbeddingRequest withModel(String m) {
        return new EmbeddingRequest(m, inputs, dimensions);
    }
}
