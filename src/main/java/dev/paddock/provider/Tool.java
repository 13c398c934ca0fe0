package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A function a request offers the model: name, description, its parameters as a JSON schema (null: none),
 * and whether the arguments must match that schema exactly ({@code strict}, null: the provider's default).
 */
public record Tool(String name, String description, JsonNode parameters, Boolean strict) {
    public Tool {
        Objects.requireNonNull(name);
    }
}
