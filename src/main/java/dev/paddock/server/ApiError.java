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
        e.put("type", status >= 500 ? "server_error" : "invalid_request_error");
        ctx.status(status).json(Map.of("type", "error", "error", e));
    }

    static void send(Context ctx, ErrorCode code, String message) {
        send(ctx, code.httpStatus(), code.wireName(), message);
    }
}
