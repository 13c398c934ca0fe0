package dev.paddock.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.paddock.provider.JsonHttp;
import java.io.IOException;

/**
 * A streamed chunk that carries nothing but the first choice's next piece, of its text or of a tool call's arguments, read
 * with Jackson's streaming parser: nearly every chunk of an answer is one, and building its tree touches several times the
 * code (with the engine's threads evicting the caches between tokens, that code is what a token costs). Any other chunk
 * (a tool call's id and name, log-probabilities, a finish, usage, timings, progress, an error, a second choice) is left to
 * the tree.
 */
final class PieceChunk {
    private PieceChunk() {}

    /** A piece of the answer's text ({@code toolCall} {@link #TEXT}) or of tool call {@code toolCall}'s arguments. */
    record Piece(String text, int toolCall) {
        static final int TEXT = -1;

        boolean isText() {
            return toolCall == TEXT;
        }
    }

    /** The piece, or null when the chunk says anything more (or is not such JSON at all). */
    static Piece of(String data) {
        try (JsonParser p = JsonHttp.JSON.getFactory().createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Piece piece = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id", "object", "created", "model", "system_fingerprint" -> p.skipChildren();
                    case "choices" -> {
                        if (value != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_OBJECT || (piece = choice(p)) == null
                                || p.nextToken() != JsonToken.END_ARRAY) {
                            return null; // not exactly one choice with a piece
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? piece : null;
        } catch (IOException e) {
            return null; // the tree reader reports it
        }
    }

    /** Choice 0 with a piece in its delta (or the completions API's text) and no finish or log-probabilities; null otherwise. */
    private static Piece choice(JsonParser p) throws IOException {
        Piece piece = null;
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
                    if (value != JsonToken.START_OBJECT || (piece = delta(p)) == null) {
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
        return piece != null ? piece : completion == null ? null : new Piece(completion, Piece.TEXT);
    }

    /** A delta of content (and perhaps the role), or of one tool call's arguments alone: its piece; null for anything else. */
    private static Piece delta(JsonParser p) throws IOException {
        String text = null;
        Piece arguments = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("content") && value == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else if (field.equals("tool_calls") && value == JsonToken.START_ARRAY && arguments == null) {
                if (p.nextToken() != JsonToken.START_OBJECT || (arguments = arguments(p)) == null || p.nextToken() != JsonToken.END_ARRAY) {
                    return null;
                }
            } else if (!field.equals("role") || value != JsonToken.VALUE_STRING) {
                return null;
            }
        }
        if (arguments != null) {
            return text == null ? arguments : null;
        }
        return text == null ? null : new Piece(text, Piece.TEXT);
    }

    /** {"index": N, "function": {"arguments": "…"}} and nothing more (an id, a type or a name is the tree's). */
    private static Piece arguments(JsonParser p) throws IOException {
        int index = -1;
        String arguments = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("index") && value == JsonToken.VALUE_NUMBER_INT && p.getIntValue() >= 0) {
                index = p.getIntValue();
            } else if (field.equals("function") && value == JsonToken.START_OBJECT) {
                if (p.nextToken() != JsonToken.FIELD_NAME || !p.currentName().equals("arguments") || p.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                arguments = p.getText();
                if (p.nextToken() != JsonToken.END_OBJECT) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return index >= 0 && arguments != null ? new Piece(arguments, index) : null;
    }
}
