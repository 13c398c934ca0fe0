package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.app.Paddock;
import dev.paddock.error.PaddockException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** OpenAI's {@code /v1/embeddings}, over the models of every provider that has embeddings. */
final class OpenAiEmbeddings {
    private final Paddock paddock;
    /** Made once: it gathers the providers, the registry and the request log. */
    private final dev.paddock.serving.ChatService chat;
    private final Function<RequestBody, String> models;

    OpenAiEmbeddings(Paddock paddock, Function<RequestBody, String> models) {
        this.paddock = paddock;
        this.models = models;
        this.chat = paddock.chat();
    }

    /** Inputs of one embeddings request: OpenAI's own limit. */
    static final int MAX_EMBEDDING_INPUTS = 2048;

    /**
     * OpenAI's embeddings request: text or a list of texts, floats or base64 (little-endian float32, as OpenAI
     * encodes them), {@code dimensions} where the provider shortens vectors.
     */
    void embeddings(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        String model = models.apply(b);
        JsonNode input = b.json().get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty() && input.size() <= MAX_EMBEDDING_INPUTS) {
            for (JsonNode t : input) {
                if (!t.isTextual()) {
                    throw PaddockException.invalidInput("\"input\" must be text or a list of texts (token-id input is not supported)");
                }
                texts.add(t.asText());
            }
        } else {
            throw PaddockException.invalidInput("\"input\" must be a text or a list of 1 to " + MAX_EMBEDDING_INPUTS + " texts");
        }
        if (texts.stream().anyMatch(String::isEmpty)) {
            throw PaddockException.invalidInput("\"input\" holds an empty text; every input needs at least one character");
        }
        String format = b.text("encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw PaddockException.invalidInput("\"encoding_format\" must be float or base64, not \"" + format + "\"");
        }
        var e = chat.embed(new dev.paddock.provider.EmbeddingRequest(model, texts, b.integer("dimensions", 1, 1 << 16)), Gateway.SOURCE);
        ObjectNode body = PaddockServer.JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < e.vectors().size(); i++) {
            ObjectNode d = data.addObject().put("object", "embedding").put("index", i);
            float[] v = e.vectors().get(i);
            if ("base64".equals(format)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float x : v) {
                    buf.putFloat(x);
                }
                d.put("embedding", java.util.Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode values = d.putArray("embedding");
                for (float x : v) {
                    values.add(x);
                }
            }
        }
        body.put("model", model);
        int tokens = e.promptTokens() == null ? 0 : e.promptTokens();
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        ctx.json(body);
    }

}
