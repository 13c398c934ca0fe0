package dev.paddock.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.error.PaddockException;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-style request body (chat or plain completion), checked: what the engine would silently
 * accept (a prompt longer than the context, an unknown role) becomes a clear 400 here.
 */
record OpenAiRequest(boolean chat, List<ChatTurn> turns, String prompt, boolean stream, boolean includeUsage,
        int maxTokens, double temperature, double topP, int topK, Long seed, List<String> stop, String keepAlive) {

    static final int DEFAULT_MAX_TOKENS = 256;

    static OpenAiRequest parse(JsonNode body, boolean chat, int contextSize) {
        if (body == null || !body.isObject()) {
            throw bad("the request body must be a JSON object");
        }
        List<ChatTurn> turns = new ArrayList<>();
        String prompt = null;
        if (chat) {
            JsonNode messages = body.get("messages");
            if (messages == null || !messages.isArray() || messages.isEmpty()) {
                throw bad("\"messages\" must be a non-empty array");
            }
            for (JsonNode m : messages) {
                String role = text(m, "role");
                if (!ChatTurn.ROLES.contains(role)) {
                    throw bad("message role \"" + role + "\" is not one of " + ChatTurn.ROLES);
                }
                turns.add(new ChatTurn(role, content(m.get("content"))));
            }
        } else {
            JsonNode p = body.get("prompt");
            if (p == null || !p.isTextual()) {
                throw bad("\"prompt\" must be a string");
            }
            prompt = p.textValue();
        }
        int maxTokens = body.has("max_completion_tokens") ? intIn(body, "max_completion_tokens", 1, contextSize)
                : body.has("max_tokens") ? intIn(body, "max_tokens", 1, contextSize) : DEFAULT_MAX_TOKENS;
        double temperature = number(body, "temperature", 0.8, 0, 2);
        double topP = number(body, "top_p", 0.95, 0, 1);
        int topK = body.has("top_k") ? intIn(body, "top_k", 0, 1_000_000) : 40;
        Long seed = body.hasNonNull("seed") ? body.get("seed").asLong() : null;
        List<String> stop = new ArrayList<>();
        JsonNode s = body.get("stop");
        if (s != null && s.isTextual()) {
            stop.add(s.textValue());
        } else if (s != null && s.isArray()) {
            s.forEach(x -> stop.add(x.asText()));
        }
        if (body.hasNonNull("grammar")) {
            throw bad("\"grammar\" is not supported by Paddock's runner yet; leave it out");
        }
        boolean stream = body.path("stream").asBoolean(false);
        boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
        String keepAlive = body.hasNonNull("keep_alive") ? body.get("keep_alive").asText() : null;
        return new OpenAiRequest(chat, turns, prompt, stream, usage, maxTokens, temperature, topP, topK, seed, stop,
                keepAlive);
    }

    private static String content(JsonNode c) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.textValue();
        }
        if (c.isArray()) { // content parts: only text is understood
            StringBuilder s = new StringBuilder();
            for (JsonNode part : c) {
                if (!"text".equals(part.path("type").asText())) {
                    throw bad("content part type \"" + part.path("type").asText() + "\" is not supported (only text)");
                }
                s.append(part.path("text").asText());
            }
            return s.toString();
        }
        throw bad("message content must be a string or an array of text parts");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw bad("\"" + field + "\" must be a string");
        }
        return v.textValue();
    }

    private static int intIn(JsonNode body, String field, int min, int max) {
        JsonNode v = body.get(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw bad("\"" + field + "\" must be an integer from " + min + " to " + max + ", not " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode body, String field, double dflt, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw bad("\"" + field + "\" must be a number from " + min + " to " + max + ", not " + v);
        }
        return v.asDouble();
    }

    static PaddockException bad(String message) {
        return PaddockException.invalidInput(message);
    }
}
