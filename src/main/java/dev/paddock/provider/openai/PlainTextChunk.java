package dev.paddock.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.paddock.provider.JsonHttp;
import java.io.IOException;

/**
 * The text of a streamed chunk that carries nothing but the first choice's next piece of text, read with Jackson's
 * streaming parser: nearly every chunk of an answer is one, and building its tree touches several times the code
 * (with the engine's threads evicting the caches between tokens, that code is what a token costs). Any other chunk
 * (tool calls, log-probabilities, a finish, usage, timings, progress, an error, a second choice) is left to the tree.
 */
final class PlainTextChunk {
    private PlainTextChunk() {}

    /** The piece of text, or null when the chunk says anything more (or is not such JSON at all). */
    static String textOf(String data) {
        try (JsonParser p = JsonHttp.JSON.getFactory().createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String text = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id", "object", "created", "model", "system_fingerprint" -> p.skipChildren();
                    case "choices" -> {
                        if (value != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_OBJECT || (text = choice(p)) == null
                                || p.nextToken() != JsonToken.END_ARRAY) {
                            return null; // not exactly one choice with text
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? text : null;
        } catch (IOException e) {
            return null; // the tree reader reports it
        }
    }

    /** Choice 0 with a text delta (or the completions API's text) and no finish or log-probabilities: its text; null otherwise. */
    private static String choice(JsonParser p) throws IOException {
        String text = null;
        String completion = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "index" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != 0) {
                        return null;
                    }
                }
                case "finish_reason", "logprobs" -> {
                    if (value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "delta" -> {
                    if (value != JsonToken.START_OBJECT || (text = delta(p)) == null) {
                        return null;
                    }
                }
                case "text" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    completion = p.getText();
                }
                default -> {
                    return null;
                }
            }
        }
        return text != null ? text : completion;
    }

    /** A delta of content (and perhaps the role): the content; null for anything else in it. */
    private static String delta(JsonParser p) throws IOException {
        String text = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("content") && value == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else if (!field.equals("role") || value != JsonToken.VALUE_STRING) {
                return null;
            }
        }
        return text;
    }
}
