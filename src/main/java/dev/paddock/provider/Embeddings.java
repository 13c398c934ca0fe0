package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.util.ArrayList;
import java.util.List;

/** One vector per input, in the inputs' order, and the tokens the provider counted (null: not said). */
public record Embeddings(List<float[]> vectors, Integer promptTokens) {
    public Embeddings {
        vectors = List.copyOf(vectors);
    }

    /** A JSON array of numbers as a vector; anything else is the provider's fault. */
    public static float[] vector(JsonNode values, String who) {
        if (values == null || !values.isArray()) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, who + " answered an embedding that is not a list of numbers");
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            if (!values.get(i).isNumber()) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, who + " answered an embedding that is not a list of numbers");
            }
            v[i] = (float) values.get(i).asDouble();
        }
        return v;
    }

    /** OpenAI's {@code data} list (llama-server and OpenAI-compatible servers), put back in input order by {@code index}. */
    public static Embeddings ofOpenAi(JsonNode body, int inputs, String who) {
        List<float[]> out = new ArrayList<>(java.util.Collections.nCopies(inputs, (float[]) null));
        JsonNode data = body.path("data");
        for (int i = 0; i < data.size(); i++) {
            JsonNode d = data.get(i);
            int index = d.path("index").asInt(i);
            if (index < 0 || index >= inputs) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, who + " answered an embedding for input " + index + " of " + inputs);
            }
            out.set(index, vector(d.get("embedding"), who));
        }
        if (out.contains(null)) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, who + " answered " + data.size() + " embeddings for " + inputs + " inputs");
        }
        JsonNode tokens = body.path("usage").path("prompt_tokens");
        return new Embeddings(out, tokens.isIntegralNumber() ? tokens.asInt() : null);
    }
}
