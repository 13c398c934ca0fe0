package dev.paddock.provider;

import java.util.List;

/**
 * The tools a request offers and how the model may use them: {@code choice} is {@code auto}, {@code none},
 * {@code required}, or the name of the one function it must call ({@code function}); {@code parallel} null
 * means the provider's default.
 */
public record ToolUse(List<Tool> tools, String choice, String function, Boolean parallel) {
    public static final String AUTO = "auto";
    public static final String NONE = "none";
    public static final String REQUIRED = "required";
    public static final String FUNCTION = "function";

    public ToolUse {
        tools = List.copyOf(tools);
        choice = choice == null ? AUTO : choice;
    }
}
