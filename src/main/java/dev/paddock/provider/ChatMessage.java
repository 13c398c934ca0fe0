package dev.paddock.provider;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation: role {@code system}, {@code user}, {@code assistant} or {@code tool}.
 * A user message may carry images; an assistant message the tool calls it made; a {@code tool} message is
 * the result of the call {@code toolCallId}.
 */
public record ChatMessage(String role, String content, List<ImagePart> images, List<ToolCall> toolCalls, String toolCallId) {
    public ChatMessage {
        Objects.requireNonNull(role);
        Objects.requireNonNull(content);
        images = images == null ? List.of() : List.copyOf(images);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of(), List.of(), null);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage("tool", content, List.of(), List.of(), toolCallId);
    }

    public static ChatMessage assistant(String content, List<ToolCall> calls) {
        return new ChatMessage("assistant", content, List.of(), calls, null);
    }
}
