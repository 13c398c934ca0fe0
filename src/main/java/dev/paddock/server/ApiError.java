package dev.paddock.server;

import dev.paddock.error.ErrorCode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error body of the API and the gateway: {@code {"type": "error", "error": {"code", "message", "type"}}}.
 * The shape is OpenAI's and, with the outer {@code type}, Anthropic's too, so clients of either show the message.
 */
final class ApiError {
    private ApiError() {}

    static void send(Context ctx, int status, String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        e.put("type", ctx.path().startsWith("/v1/messages") ? anthropicType(status)
                : status >= 500 ? "server_error" : "invalid_request_error");
        ctx.status(status).json(Map.of("type", "error", "error", e));
    }

    /** Anthropic's error types, by status, as its SDKs and agents read them. */
    private static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static void send(Context ctx, ErrorCode code, String message) {
        send(ctx, code.httpStatus(), code.wireName(), message);
    }
}
