package dev.paddock.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Response bodies in the shapes OpenAI defines, with the {@code timings} object llama-server adds. */
final class OpenAiResponses {
    static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiResponses() {}

    static ObjectNode completion(String id, String model, boolean chat, Generation.Result r, long created) {
        ObjectNode root = base(id, model, chat ? "chat.completion" : "text_completion", created);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", r.text());
        } else {
            choice.put("text", r.text());
        }
        choice.put("finish_reason", r.finishReason());
        usage(root, r);
        timings(root, r);
        return root;
    }

    static ObjectNode firstChunk(String id, String model, long created) {
        ObjectNode root = base(id, model, "chat.completion.chunk", created);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        choice.putNull("finish_reason");
        return root;
    }

    static ObjectNode tokenChunk(String id, String model, boolean chat, String text, long created) {
        ObjectNode root = base(id, model, chat ? "chat.completion.chunk" : "text_completion", created);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            choice.putObject("delta").put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("finish_reason");
        return root;
    }

    /** A token chunk split around its text: {@code [before, after]}, for {@link #quoted}. */
    static String[] tokenChunkFrame(String id, String model, boolean chat, long created) {
        String marker = "\u0000PADDOCK-TEXT\u0000";
        String json = tokenChunk(id, model, chat, marker, created).toString();
        String quotedMarker = "\"\\u0000PADDOCK-TEXT\\u0000\"";
        int at = json.indexOf(quotedMarker);
        return new String[] {json.substring(0, at), json.substring(at + quotedMarker.length())};
    }

    /** {@code text} as a JSON string literal, UTF-8. */
    static byte[] quoted(String text) {
        byte[] inner = ENCODER.quoteAsUTF8(text);
        byte[] out = new byte[inner.length + 2];
        out[0] = '"';
        System.arraycopy(inner, 0, out, 1, inner.length);
        out[out.length - 1] = '"';
        return out;
    }

    private static final com.fasterxml.jackson.core.io.JsonStringEncoder ENCODER =
            com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();

    static ObjectNode finalChunk(String id, String model, boolean chat, Generation.Result r, long created) {
        ObjectNode root = base(id, model, chat ? "chat.completion.chunk" : "text_completion", created);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            choice.putObject("delta");
        } else {
            choice.put("text", "");
        }
        choice.put("finish_reason", r.finishReason());
        timings(root, r);
        return root;
    }

    static ObjectNode usageChunk(String id, String model, boolean chat, Generation.Result r, long created) {
        ObjectNode root = base(id, model, chat ? "chat.completion.chunk" : "text_completion", created);
        root.putArray("choices");
        usage(root, r);
        return root;
    }

    static ObjectNode models(String model, long created) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        data.addObject().put("id", model).put("object", "model").put("created", created).put("owned_by", "paddock");
        return root;
    }

    static ObjectNode error(int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", code).put("message", message)
                .put("type", status < 500 ? "invalid_request_error" : "server_error");
        return root;
    }

    private static ObjectNode base(String id, String model, String object, long created) {
        return JSON.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private static void usage(ObjectNode root, Generation.Result r) {
        root.putObject("usage")
                .put("prompt_tokens", r.promptTokens())
                .put("completion_tokens", r.completionTokens())
                .put("total_tokens", r.promptTokens() + r.completionTokens());
    }

    /** llama-server's {@code timings}: the engine's own figures, absent when it printed none. */
    private static void timings(ObjectNode root, Generation.Result r) {
        NativeLog.Timings t = r.engineTimings();
        if (t == null) {
            return;
        }
        ObjectNode o = root.putObject("timings");
        o.put("prompt_n", t.promptTokens());
        o.put("prompt_ms", t.promptMs());
        o.put("prompt_per_token_ms", t.promptTokens() == 0 ? 0 : t.promptMs() / t.promptTokens());
        o.put("prompt_per_second", t.promptMs() == 0 ? 0 : t.promptTokens() * 1000.0 / t.promptMs());
        o.put("predicted_n", t.generatedTokens());
        o.put("predicted_ms", t.generatedMs());
        o.put("predicted_per_token_ms", t.generatedTokens() == 0 ? 0 : t.generatedMs() / t.generatedTokens());
        o.put("predicted_per_second", t.generatedMs() == 0 ? 0 : t.generatedTokens() * 1000.0 / t.generatedMs());
    }
}
