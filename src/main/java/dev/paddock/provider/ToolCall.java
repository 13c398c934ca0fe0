package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.util.Objects;

/** A function the model asks to call: its call id, the function's name and its arguments as a JSON text (OpenAI's shape). */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(name);
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }

    /** The arguments as a JSON object, for providers that take them so (Ollama, Anthropic, Gemini). */
    public JsonNode argumentsJson() {
        try {
            JsonNode n = JsonHttp.JSON.readTree(arguments);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException e) {
            // said below
        }
        throw PaddockException.invalidInput("the arguments of tool call " + (id == null ? name : id) + " are not a JSON object");
    }

    /** A call whose arguments came as a JSON value. */
    public static ToolCall of(String id, String name, JsonNode arguments) {
        return new ToolCall(id, name, arguments == null || arguments.isNull() ? "{}" : arguments.toString());
    }
}
