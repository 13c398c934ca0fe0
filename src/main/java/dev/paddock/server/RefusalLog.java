package dev.paddock.server;

import dev.paddock.error.PaddockException;
import dev.paddock.serving.ChatService;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Wraps the routes that ask a model (chat, completions, embeddings, messages, Ollama's chat and generate): a request
 * refused before it reached a provider, which the chat service never saw, is still recorded as an error of the model
 * it named, so that status and analytics count every request.
 */
final class RefusalLog {
    private RefusalLog() {}

    static Handler of(ChatService chat, Handler route) {
        return ctx -> {
            ChatService.beginRecording();
            try {
                route.handle(ctx);
            } catch (PaddockException e) {
                String model = namedModel(ctx);
                // a name no model could have is kept out of the log entirely: a client could fill it with them
                if (!ChatService.recorded() && (model == null || model.length() <= Gateway.MAX_MODEL_CHARS)) {
                    chat.refused(model, Gateway.SOURCE, e.getMessage());
                }
                throw e;
            }
        };
    }

    /** The model the body names, if it is JSON that names one. */
    private static String namedModel(Context ctx) {
        try {
            var body = PaddockServer.JSON.readTree(ctx.body());
            String model = body == null ? null : body.path("model").asText(null);
            return model != null ? model : body == null ? null : body.path("name").asText(null);
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
    }
}
