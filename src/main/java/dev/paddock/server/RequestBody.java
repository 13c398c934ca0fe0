package dev.paddock.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.paddock.error.PaddockException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** A JSON request body with typed, checked fields: a wrong type or a missing field is a 400 that names the field. */
final class RequestBody {
    private final JsonNode root;
    /** Where this object lies in the request ("tools[0].function."), so that an error names the field in full. */
    private final String prefix;

    private RequestBody(JsonNode root) {
        this(root, "");
    }

    private RequestBody(JsonNode root, String prefix) {
        this.root = root;
        this.prefix = prefix;
    }

    /** A body already parsed (a nested object, or a request read by another route). */
    static RequestBody of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw PaddockException.invalidInput("\"" + path + "\" must be a JSON object");
        }
        return new RequestBody(node, path.isEmpty() ? "" : path + ".");
    }

    private String q(String field) {
        return "\"" + prefix + field + "\"";
    }

    /** The nested object {@code field}; null when absent. */
    RequestBody object(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        return of(n, prefix + field);
    }

    /** The objects of the list {@code field}; empty when absent. */
    List<RequestBody> objects(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw PaddockException.invalidInput(q(field) + " must be a list of objects");
        }
        List<RequestBody> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(of(n.get(i), prefix + field + "[" + i + "]"));
        }
        return out;
    }

    /** This object's name in the request, for messages ("messages[2]"). */
    String path() {
        return prefix.isEmpty() ? "the request" : prefix.substring(0, prefix.length() - 1);
    }

    boolean has(String field) {
        return root.hasNonNull(field);
    }

    static RequestBody of(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return new RequestBody(JsonNodeFactory.instance.objectNode());
        }
        try {
            JsonNode n = PaddockServer.JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw PaddockException.invalidInput("the request body must be a JSON object");
            }
            requireUnicode(n, "");
            return new RequestBody(n);
        } catch (JsonProcessingException e) { // where, not Jackson's own words (they name its settings)
            var at = e.getLocation();
            throw PaddockException.invalidInput("the request body is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw PaddockException.invalidInput("cannot read the request body: " + e.getMessage());
        }
    }

    /**
     * Refuses a text holding half of a UTF-16 pair ("\\ud800" alone): JSON allows the escape, but it is no
     * character, and an engine that gets it refuses the whole request with a parser error of its own.
     */
    private static void requireUnicode(JsonNode n, String path) {
        if (n.isTextual()) {
            String t = n.textValue();
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw PaddockException.invalidInput("\"" + (path.isEmpty() ? "the body" : path) + "\" holds half of a UTF-16"
                            + " surrogate pair (\\u" + Integer.toHexString(c) + "), which is no character; send valid Unicode");
                }
            }
        } else if (n.isObject()) {
            n.properties().forEach(e -> requireUnicode(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                requireUnicode(n.get(i), path + "[" + i + "]");
            }
        }
    }

    /** A whole number given as text (a query parameter), or a 400 that repeats it. */
    static long wholeNumber(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw PaddockException.invalidInput("\"" + s + "\" is not a whole number");
        }
    }

    JsonNode json() {
        return root;
    }

    String text(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw PaddockException.invalidInput(q(field) + " must be a string");
        }
        return n.asText();
    }

    String requiredText(String field) {
        String v = text(field);
        if (v == null || v.isBlank()) {
            throw PaddockException.invalidInput(q(field) + " is required");
        }
        return v;
    }

    Integer integer(String field, int min, int max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
            throw PaddockException.invalidInput(q(field) + " must be a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    Double number(String field, double min, double max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
            throw PaddockException.invalidInput(q(field) + " must be a number from " + min + " to " + max);
        }
        return n.asDouble();
    }

    boolean flag(String field) {
        JsonNode n = root.get(field);
        if (n != null && !n.isNull() && !n.isBoolean()) {
            throw PaddockException.invalidInput(q(field) + " must be true or false");
        }
        return n != null && n.asBoolean();
    }

    List<String> texts(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw PaddockException.invalidInput(q(field) + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) {
                throw PaddockException.invalidInput(q(field) + " must be a list of strings");
            }
            out.add(x.asText());
        }
        return out;
    }

    List<Integer> integers(String field, int min, int max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.isEmpty()) {
            throw PaddockException.invalidInput(q(field) + " must be a non-empty list of whole numbers");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isIntegralNumber() || x.asInt() < min || x.asInt() > max) {
                throw PaddockException.invalidInput(q(field) + " must hold whole numbers from " + min + " to " + max);
            }
            out.add(x.asInt());
        }
        return out;
    }
}
