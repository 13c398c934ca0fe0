package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.app.Paddock;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.recommend.Task;
import dev.paddock.serving.ChatService;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import dev.paddock.serving.RequestCancelled;
import java.nio.charset.StandardCharsets;
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

    /** One model in OpenAI's list format. */
    private static final String MODEL_CARD = "{id: string, object: string, created: integer, owned_by: string}";
    /** OpenAI's usage, with the cached prompt tokens and the cost (OpenRouter's field) where known. */
    private static final String USAGE = "{prompt_tokens: integer, completion_tokens: integer, total_tokens: integer,"
            + " prompt_tokens_details?: {cached_tokens: integer}, cost?: number}";

    void register() {
        api.get("/v1/models", "gateway", "Every model a request may name, OpenAI's list format; auto and auto:<task> included", this::models)
                .returns("{object: string, data: " + MODEL_CARD + "[]}");
        api.get("/v1/models/<id>", "gateway", "One model a request may name, OpenAI's model format", this::model).returns(MODEL_CARD);
        api.post("/v1/chat/completions", "gateway", "OpenAI chat completions, streamed (SSE) or not, to any model or auto[:task]",
                "OpenAI's chat completion request: model, messages (text, image_url parts, tool_calls, tool results), tools,"
                        + " tool_choice, parallel_tool_calls, response_format (json_object, json_schema), max_tokens, temperature,"
                        + " top_p, presence_penalty, frequency_penalty, logprobs, top_logprobs, n, seed, stop, stream, stream_options;"
                        + " other fields go on to OpenAI-compatible providers", RefusalLog.of(chat, this::complete))
                .returns("{id: string, object: string, created: integer, model: string, choices: {index: integer, message: {role: string,"
                        + " content?: string, reasoning_content?: string, tool_calls?: {id: string, type: string, function: {name: string,"
                        + " arguments: string}}[]}, logprobs?: any, finish_reason: string}[], usage: " + USAGE + ", timings?: any}");
        OpenAiCompletions completions = new OpenAiCompletions(paddock, this::model);
        api.post("/v1/completions", "gateway", "OpenAI text completions (raw text, no chat template), streamed or not",
                "OpenAI's completions request: model, prompt, max_tokens, temperature, top_p, presence_penalty, frequency_penalty,"
                        + " seed, stop, stream, stream_options", RefusalLog.of(chat, completions::completeText))
                .returns("{id: string, object: string, created: integer, model: string, choices: {index: integer, text: string,"
                        + " logprobs?: {tokens: string[], token_logprobs: number[], top_logprobs: any[], text_offset: integer[]},"
                        + " finish_reason: string}[], usage: " + USAGE + "}");
        OpenAiEmbeddings embeddings = new OpenAiEmbeddings(paddock, this::model);
        api.post("/v1/embeddings", "gateway", "OpenAI embeddings from a local, OpenAI-compatible, Ollama or Gemini model",
                "OpenAI's embeddings request: model, input (a text or a list of texts), encoding_format (float, base64), dimensions",
                RefusalLog.of(chat, embeddings::embeddings))
                .returns("{object: string, data: {object: string, index: integer, embedding: any}[], model: string,"
                        + " usage: {prompt_tokens: integer, total_tokens: integer}}");
    }

    static final int MAX_MODEL_CHARS = 256;
    /** The request's model, or the active one; a name no model could have is refused before any work. */
    String model(RequestBody b) {
        String model = b.text("model");
        if (model != null && model.length() > MAX_MODEL_CHARS) {
            throw PaddockException.invalidInput("\"model\" is " + model.length() + " characters long; a model name has at most "
                    + MAX_MODEL_CHARS);
        }
        if (model == null || model.isBlank()) {
            model = paddock.activeModel().get().orElseThrow(() -> PaddockException.invalidInput(
                    "\"model\" is required (no active model is set; \"paddock use MODEL\" sets one)"));
        }
        return model;
    }

    private void models(Context ctx) {
        ctx.json(models());
    }

    private ObjectNode models() {
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
        return body;
    }

    private void model(Context ctx) {
        String id = ctx.pathParam("id");
        ObjectNode body = (ObjectNode) models().path("data").valueStream().filter(m -> m.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> PaddockException.notFound("no model \"" + id + "\"; GET /v1/models lists them"));
        ctx.json(body);
    }

    private void complete(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String model = model(b);
        ChatRequest request = OpenAiChatWire.request(b, model);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        long created = paddock.clock().instant().getEpochSecond();
        String[] used = {model};
        if (!b.flag("stream")) {
            ChatResult r = chat.chat(request, text -> {}, SOURCE, m -> used[0] = m);
            ObjectNode body = base(id, "chat.completion", created, used[0]);
            ArrayNode choices = body.putArray("choices");
            for (ChatResult.Choice c : r.choices()) {
                ObjectNode choice = choices.addObject().put("index", c.index());
                choice.set("message", OpenAiChatWire.message(c));
                if (c.logprobs() != null || request.sampling().wantsLogprobs()) { // asked for: a list, empty when none came
                    choice.putObject("logprobs").set("content", c.logprobs() != null ? c.logprobs() : PaddockServer.JSON.createArrayNode());
                } else {
                    choice.putNull("logprobs");
                }
                choice.put("finish_reason", OpenAiChatWire.finishReason(c));
            }
            OpenAiChatWire.usage(body, r, chat.cost(used[0], r));
            ctx.json(body);
            return;
        }
        JsonNode options = b.json().get("stream_options");
        boolean includeUsage = options != null && options.path("include_usage").asBoolean(false);
        Stream stream = new Stream(ctx, id, created);
        ChatResult r;
        try {
            r = chat.chat(request, stream.listener(() -> used[0]), SOURCE, m -> used[0] = m);
        } catch (PaddockException e) {
            if (!stream.started) {
                throw e; // nothing sent yet: a plain JSON error with its status
            }
            stream.error(e);
            return;
        }
        stream.finish(used[0], r, includeUsage, chat.cost(used[0], r));
    }

    /** Opens a server-sent event stream: its headers, unbuffered by proxies, and the body to write events to. */
    static OutputStream eventStream(Context ctx) throws IOException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        return ctx.res().getOutputStream();
    }

    static ObjectNode base(String id, String object, long created, String model) {
        return PaddockServer.JSON.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
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
        private String open; // a first-choice chunk up to its delta's fields, for the prepared frames
        private int argumentsCall = -1;
        private byte[] argumentsPrefix;
        private static final byte[] ARGUMENTS_SUFFIX = "\"}}]}}]}\n\n".getBytes(StandardCharsets.UTF_8);
        boolean started;

        Stream(Context ctx, String id, long created) {
            this.ctx = ctx;
            this.id = id;
            this.created = created;
        }

        /** Hears the answer for whichever model {@code model} says is answering (a fallback may switch it). */
        TokenListener listener(java.util.function.Supplier<String> model) {
            return listener(model, 0);
        }

        /** Choice {@code index}'s listener: the first choice's text goes through the prepared frame, the others' as whole chunks. */
        private TokenListener listener(java.util.function.Supplier<String> model, int index) {
            return new TokenListener() {
                @Override
                public void token(String text) {
                    if (index == 0) {
                        Stream.this.token(model.get(), text);
                    } else if (!text.isEmpty()) {
                        delta(model.get(), index, PaddockServer.JSON.createObjectNode().put("content", text), null);
                    }
                }

                @Override
                public TokenListener choice(int other) {
                    return other == index ? this : listener(model, other);
                }

                @Override
                public void reasoning(String text) {
                    delta(model.get(), index, PaddockServer.JSON.createObjectNode().put("reasoning_content", text), null);
                }

                @Override
                public void toolCall(int call, String callId, String name, String argumentsPiece) {
                    if (index == 0 && callId == null && name == null && Stream.this.arguments(model.get(), call, argumentsPiece)) {
                        return;
                    }
                    ObjectNode piece = PaddockServer.JSON.createObjectNode().put("index", call);
                    if (callId != null) {
                        piece.put("id", callId).put("type", "function");
                    }
                    ObjectNode f = piece.putObject("function");
                    if (name != null) {
                        f.put("name", name);
                    }
                    f.put("arguments", argumentsPiece);
                    ObjectNode d = PaddockServer.JSON.createObjectNode();
                    d.putArray("tool_calls").add(piece);
                    delta(model.get(), index, d, null);
                }

                @Override
                public void logprobs(JsonNode entries) {
                    ObjectNode lp = PaddockServer.JSON.createObjectNode();
                    lp.set("content", entries);
                    delta(model.get(), index, PaddockServer.JSON.createObjectNode(), lp);
                }
            };
        }

        /** Choices above the first that have had their role chunk. */
        private final java.util.Set<Integer> opened = new java.util.HashSet<>();

        /** A chunk of anything but the first choice's answer text, written whole (these are rarer than its text tokens). */
        private void delta(String model, int index, ObjectNode delta, ObjectNode logprobs) {
            try {
                if (!started) {
                    token(model, ""); // headers and the role chunk first
                }
                if (index > 0 && opened.add(index)) {
                    delta.put("role", "assistant");
                }
                ObjectNode chunk = base(id, "chat.completion.chunk", created, model);
                ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
                choice.set("delta", delta);
                if (logprobs != null) {
                    choice.set("logprobs", logprobs);
                }
                choice.putNull("finish_reason");
                send(chunk);
            } catch (IOException e) {
                throw new RequestCancelled("the client went away", e);
            }
        }

        void token(String model, String text) {
            if (started && text.isEmpty()) {
                return;
            }
            try {
                if (!model.equals(framedModel)) {
                    framedModel = model;
                    String head = PaddockServer.JSON.writeValueAsString(base(id, "chat.completion.chunk", created, model));
                    open = "data: " + head.substring(0, head.length() - 1) + ",\"choices\":[{\"index\":0,\"finish_reason\":null,\"delta\":{";
                    argumentsCall = -1;
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
                    out = eventStream(ctx);
                }
                out.write(frame);
                out.flush();
            } catch (IOException e) {
                throw new RequestCancelled("the client went away", e);
            }
        }

        /**
         * A piece of the first choice's tool call {@code call}'s arguments from a prepared frame, as its text goes: false
         * (nothing written) before the stream has started with that model, which the whole chunk then does.
         */
        boolean arguments(String model, int call, String piece) {
            if (!started || !model.equals(framedModel)) {
                return false;
            }
            try {
                if (call != argumentsCall) {
                    argumentsCall = call;
                    argumentsPrefix = (open + "\"tool_calls\":[{\"index\":" + call + ",\"function\":{\"arguments\":\"")
                            .getBytes(StandardCharsets.UTF_8);
                }
                byte[] quoted = ENCODER.quoteAsUTF8(piece);
                byte[] frame = new byte[argumentsPrefix.length + quoted.length + ARGUMENTS_SUFFIX.length];
                System.arraycopy(argumentsPrefix, 0, frame, 0, argumentsPrefix.length);
                System.arraycopy(quoted, 0, frame, argumentsPrefix.length, quoted.length);
                System.arraycopy(ARGUMENTS_SUFFIX, 0, frame, argumentsPrefix.length + quoted.length, ARGUMENTS_SUFFIX.length);
                out.write(frame);
                out.flush();
                return true;
            } catch (IOException e) {
                throw new RequestCancelled("the client went away", e);
            }
        }

        void finish(String model, ChatResult r, boolean includeUsage, Double costUsd) throws IOException {
            if (!started) {
                token(model, ""); // an empty answer still streams its chunks
            }
            // every choice is opened before any closes: a client counts the choices by the indexes it has seen when the
            // closing chunks come (the OpenAI SDK's accumulator does), and one that wrote no text has not been seen yet
            for (ChatResult.Choice c : r.choices()) {
                if (c.index() > 0 && !opened.contains(c.index())) {
                    delta(model, c.index(), PaddockServer.JSON.createObjectNode().put("content", ""), null);
                }
            }
            for (ChatResult.Choice c : r.choices()) { // one closing chunk per choice, as OpenAI sends them
                ObjectNode last = base(id, "chat.completion.chunk", created, model);
                last.putArray("choices").addObject().put("index", c.index()).put("finish_reason", OpenAiChatWire.finishReason(c))
                        .putObject("delta");
                send(last);
            }
            if (includeUsage) {
                ObjectNode u = base(id, "chat.completion.chunk", created, model);
                u.putArray("choices");
                OpenAiChatWire.usage(u, r, costUsd);
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
