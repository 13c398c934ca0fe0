package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shape the answer must take: {@code json_object} (any JSON object) or {@code json_schema} (a document
 * matching {@code schema}, named {@code name}); {@code strict} asks the provider to guarantee it.
 */
public record ResponseFormat(String type, String name, JsonNode schema, Boolean strict) {
    public static final String JSON_OBJECT = "json_object";
    public static final String JSON_SCHEMA = "json_schema";

    public static ResponseFormat jsonObject() {
        return new ResponseFormat(JSON_OBJECT, null, null, null);
    }

    public boolean hasSchema() {
        return JSON_SCHEMA.equals(type) && schema != null;
    }
}
