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

    private RequestBody(JsonNode root) {
        this.root = root;
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
            return new RequestBody(n);
        } catch (JsonProcessingException e) {
            throw PaddockException.invalidInput("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw PaddockException.invalidInput("cannot read the request body: " + e.getMessage());
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
            throw PaddockException.invalidInput("\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    String requiredText(String field) {
        String v = text(field);
        if (v == null || v.isBlank()) {
            throw PaddockException.invalidInput("\"" + field + "\" is required");
        }
        return v;
    }

    Integer integer(String field, int min, int max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
            throw PaddockException.invalidInput("\"" + field + "\" must be a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    Double number(String field, double min, double max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
            throw PaddockException.invalidInput("\"" + field + "\" must be a number from " + min + " to " + max);
        }
        return n.asDouble();
    }

    boolean flag(String field) {
        JsonNode n = root.get(field);
        if (n != null && !n.isNull() && !n.isBoolean()) {
            throw PaddockException.invalidInput("\"" + field + "\" must be true or false");
        }
        return n != null && n.asBoolean();
    }

    List<String> texts(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw PaddockException.invalidInput("\"" + field + "\" must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) {
                throw PaddockException.invalidInput("\"" + field + "\" must be a list of strings");
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
            throw PaddockException.invalidInput("\"" + field + "\" must be a non-empty list of whole numbers");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isIntegralNumber() || x.asInt() < min || x.asInt() > max) {
                throw PaddockException.invalidInput("\"" + field + "\" must hold whole numbers from " + min + " to " + max);
            }
            out.add(x.asInt());
        }
        return out;
    }
}
