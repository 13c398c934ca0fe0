package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.app.Paddock;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.recommend.Task;
import dev.paddock.serving.ChatService;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import dev.paddock.serving.RequestCancelled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The OpenAI-compatible gateway: any model of any provider by name, or {@code auto} / {@code auto:<task>}
 * through the model selector, with fallback to the next choice when a provider fails before its first token.
 * Every request goes through {@link ChatService}, which records it (model, provider, TTFT, duration, tokens,
 * outcome) for status and analytics. A stream's headers are sent with its first token, so a failure before
 * it is still a plain JSON error with its status.
 */
final class Gateway {
    static final String SOURCE = "gateway";
    private final Paddock paddock;
    private final ApiRoutes api;
    private final ChatService chat;

    Gateway(Paddock paddock, ApiRoutes api) {
        this.paddock = paddock;
        this.api = api;
        this.chat = paddock.chat();
    }

    void register() {
        api.get("/v1/models", "gateway", "Every model a request may name, OpenAI's list format; auto and auto:<task> included", this::models);
        api.post("/v1/chat/completions", "gateway", "OpenAI chat completions, streamed (SSE) or not, to any model or auto[:task]",
                "OpenAI's chat completion request: model, messages, max_tokens, temperature, seed, stop, stream", this::complete);
    }

    static final int MAX_MODEL_CHARS = 256;

    private void models(Context ctx) {
        ObjectNode body = PaddockServer.JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        long created = paddock.clock().instant().getEpochSecond();
        for (ProviderModel m : paddock.providers().listAll(w -> {})) { // names only: no file is read, no fit computed
            data.addObject().put("id", m.provider().equals(LocalProvider.NAME) ? m.name() : m.provider() + "/" + m.name())
                    .put("object", "model").put("created", created).put("owned_by", m.provider());
        }
        data.addObject().put("id", "auto").put("object", "model").put("created", created).put("owned_by", "paddock");
        for (Task t : Task.values()) {
            data.addObject().put("id", "auto:" + t.wire()).put("object", "model").put("created", created).put("owned_by", "paddock");
        }
        ctx.json(body);
    }

    private void complete(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String model = b.text("model");
        if (model != null && model.length() > MAX_MODEL_CHARS) { // no model has such a name: refuse before any work or log
            throw PaddockException.invalidInput("\"model\" is " + model.length() + " characters long; a model name has at most "
                    + MAX_MODEL_CHARS);
        }
        if (model == null || model.isBlank()) {
            model = paddock.activeModel().get().orElseThrow(() -> PaddockException.invalidInput(
                    "\"model\" is required (no active model is set; \"paddock use MODEL\" sets one)"));
        }
        Integer maxTokens = b.integer("max_completion_tokens", 1, 1 << 20);
        if (maxTokens == null) {
            maxTokens = b.integer("max_tokens", 1, 1 << 20);
        }
        Integer seed = b.integer("seed", Integer.MIN_VALUE, Integer.MAX_VALUE);
        ChatRequest request = new ChatRequest(model, messages(b.json().get("messages")), maxTokens, b.number("temperature", 0, 2),
                seed == null ? null : seed.longValue(), stop(b.json().get("stop")), null);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        long created = paddock.clock().instant().getEpochSecond();
        String[] used = {model};
        if (!b.flag("stream")) {
            ChatResult r = chat.chat(request, text -> {}, SOURCE, m -> used[0] = m);
            ObjectNode body = base(id, "chat.completion", created, used[0]);
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", r.text());
            choice.put("finish_reason", r.finishReason() == null ? "stop" : r.finishReason());
            usage(body, r);
            ctx.json(body);
            return;
        }
        JsonNode options = b.json().get("stream_options");
        boolean includeUsage = options != null && options.path("include_usage").asBoolean(false);
        Stream stream = new Stream(ctx, id, created);
        ChatResult r;
        try {
            r = chat.chat(request, text -> stream.token(used[0], text), SOURCE, m -> used[0] = m);
        } catch (PaddockException e) {
            if (!stream.started) {
                throw e; // nothing sent yet: a plain JSON error with its status
            }
            stream.error(e);
            return;
        }
        stream.finish(used[0], r, includeUsage);
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw PaddockException.invalidInput("\"messages\" must be a non-empty list of {role, content}");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!List.of("system", "developer", "user", "assistant").contains(role)) {
                throw PaddockException.invalidInput("message role must be system, user or assistant, not \"" + role + "\"");
            }
            JsonNode c = m.get("content");
            String text;
            if (c != null && c.isTextual()) {
                text = c.asText();
            } else if (c != null && c.isArray()) { // content parts: the text ones, joined
                StringBuilder sb = new StringBuilder();
                for (JsonNode part : c) {
                    if (!"text".equals(part.path("type").asText())) {
                        throw PaddockException.invalidInput("only text content parts are supported, not \"" + part.path("type").asText() + "\"");
                    }
                    sb.append(part.path("text").asText());
                }
                text = sb.toString();
            } else {
                throw PaddockException.invalidInput("each message needs \"content\": a string or a list of text parts");
            }
            out.add(new ChatMessage(role.equals("developer") ? "system" : role, text));
        }
        return out;
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        List<String> out = new ArrayList<>();
        if (stop.isArray()) {
            stop.forEach(s -> out.add(s.asText()));
            return out;
        }
        throw PaddockException.invalidInput("\"stop\" must be a string or a list of strings");
    }

    private static ObjectNode base(String id, String object, long created, String model) {
        return PaddockServer.JSON.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    /** Usage, and the engine's own timings in llama-server's shape where the provider reported them. */
    private static void usage(ObjectNode body, ChatResult r) {
        if (r.promptTokens() != null || r.completionTokens() != null) {
            int p = r.promptTokens() == null ? 0 : r.promptTokens();
            int c = r.completionTokens() == null ? 0 : r.completionTokens();
            body.putObject("usage").put("prompt_tokens", p).put("completion_tokens", c).put("total_tokens", p + c);
        }
        ChatResult.EngineTimings t = r.engineTimings();
        if (t != null) {
            body.putObject("timings").put("prompt_n", t.promptTokens()).put("prompt_ms", t.promptMillis())
                    .put("predicted_n", t.generatedTokens()).put("predicted_ms", t.generatedMillis());
            if (t.cachedPromptTokens() != null) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("timings")).put("cache_n", t.cachedPromptTokens());
            }
        }
    }

    /** One streamed answer: headers and the role chunk go out with the first token. */
    private static final class Stream {
        private final Context ctx;
        private final String id;
        private final long created;
        private static final byte[] SUFFIX = "\"}}]}\n\n".getBytes(StandardCharsets.UTF_8);
        private static final com.fasterxml.jackson.core.io.JsonStringEncoder ENCODER =
                com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
        private OutputStream out;
        private String framedModel;
        private byte[] prefix;
        private byte[] roleChunk;
        boolean started;

        Stream(Context ctx, String id, long created) {
            this.ctx = ctx;
            this.id = id;
            this.created = created;
        }

        void token(String model, String text) {
            try {
                if (!model.equals(framedModel)) {
                    framedModel = model;
                    String head = PaddockServer.JSON.writeValueAsString(base(id, "chat.completion.chunk", created, model));
                    String open = "data: " + head.substring(0, head.length() - 1) + ",\"choices\":[{\"index\":0,\"finish_reason\":null,\"delta\":{";
                    prefix = (open + "\"content\":\"").getBytes(StandardCharsets.UTF_8);
                    roleChunk = (open + "\"role\":\"assistant\",\"content\":\"\"}}]}\n\n").getBytes(StandardCharsets.UTF_8);
                }
                // One write per token from a prepared frame: the token is the only part that changes.
                byte[] quoted = ENCODER.quoteAsUTF8(text);
                byte[] role = started ? new byte[0] : roleChunk;
                byte[] frame = new byte[role.length + prefix.length + quoted.length + SUFFIX.length];
                System.arraycopy(role, 0, frame, 0, role.length);
                System.arraycopy(prefix, 0, frame, role.length, prefix.length);
                System.arraycopy(quoted, 0, frame, role.length + prefix.length, quoted.length);
                System.arraycopy(SUFFIX, 0, frame, role.length + prefix.length + quoted.length, SUFFIX.length);
                if (!started) { // headers, the role chunk and the first token leave together
                    started = true;
                    ctx.res().setStatus(200);
                    ctx.res().setContentType("text/event-stream;charset=utf-8");
                    ctx.res().setHeader("Cache-Control", "no-cache");
                    ctx.res().setHeader("X-Accel-Buffering", "no");
                    out = ctx.res().getOutputStream();
                }
                out.write(frame);
                out.flush();
            } catch (IOException e) {
                throw new RequestCancelled("the client went away", e);
            }
        }

        void finish(String model, ChatResult r, boolean includeUsage) throws IOException {
            if (!started) {
                token(model, ""); // an empty answer still streams its chunks
            }
            ObjectNode last = base(id, "chat.completion.chunk", created, model);
            last.putArray("choices").addObject().put("index", 0).put("finish_reason", r.finishReason() == null ? "stop"
                    : r.finishReason()).putObject("delta");
            send(last);
            if (includeUsage) {
                ObjectNode u = base(id, "chat.completion.chunk", created, model);
                u.putArray("choices");
                usage(u, r);
                send(u);
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void error(PaddockException e) throws IOException {
            ObjectNode err = PaddockServer.JSON.createObjectNode();
            err.putObject("error").put("code", e.code().wireName()).put("message", e.getMessage()).put("type", "server_error");
            send(err);
        }

        private void send(ObjectNode node) throws IOException {
            out.write(("data: " + PaddockServer.JSON.writeValueAsString(node) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
