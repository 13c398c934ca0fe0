package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.app.Paddock;
import dev.paddock.download.PullEvent;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.EmbeddingRequest;
import dev.paddock.provider.Embeddings;
import dev.paddock.provider.ImagePart;
import dev.paddock.provider.ModelLoader;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.ResponseFormat;
import dev.paddock.provider.Sampling;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolCall;
import dev.paddock.provider.ToolUse;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.serving.RequestCancelled;
import dev.paddock.store.StoredModel;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ollama's API on a port of its own ({@code server.ollama_port}), over Paddock's models, providers and routing, so
 * Open WebUI and other Ollama clients work unchanged: tags, show, ps, chat and generate (NDJSON streams, which Ollama
 * sends by default), embed, pull (Paddock's verified pulls), delete, version. The OpenAI and Anthropic gateways are
 * served on it too, as Ollama serves its /v1. Errors are Ollama's {@code {"error": "…"}}.
 */
final class OllamaApi {
    /** The Ollama release whose API this follows; clients check it before using newer fields. */
    static final String OLLAMA_VERSION = "0.13.0";
    /** Load-time options of Ollama's: Paddock's runner settings decide these, so a request's are not taken. */
    private static final Set<String> LOAD_OPTIONS = Set.of("num_ctx", "num_batch", "num_gpu", "main_gpu", "num_thread", "use_mmap",
            "use_mlock", "numa", "low_vram", "vocab_only", "num_keep");
    /** Ollama's sampling options that llama.cpp has under the same or its own name. */
    private static final Map<String, String> LLAMA_CPP_OPTIONS = Map.of("top_k", "top_k", "min_p", "min_p", "typical_p", "typical_p",
            "repeat_penalty", "repeat_penalty", "repeat_last_n", "repeat_last_n", "mirostat", "mirostat", "mirostat_tau",
            "mirostat_tau", "mirostat_eta", "mirostat_eta");

    private final Paddock paddock;

    private OllamaApi(Paddock paddock) {
        this.paddock = paddock;
    }

    static Javalin start(Paddock paddock, ServerSettings settings, RequestGuard guard, AccessToken token, String version) {
        OllamaApi api = new OllamaApi(paddock);
        Javalin app = Javalin.create(config -> {
            var r = PaddockServer.configure(config, settings, guard, token, (ctx, status, code, message) -> {
                String said = message.replace("; the API is described at /api/openapi.json",
                        "; this port serves Ollama's API (/api/tags, /api/chat, /api/generate, …) and /v1");
                if (ctx.path().startsWith("/v1/")) {
                    ApiError.send(ctx, status, code, said);
                } else {
                    ctx.status(status).json(Map.of("error", said));
                }
            });
            r.get("/", ctx -> ctx.result("Ollama is running (Paddock " + version + ")"));
            r.head("/", ctx -> ctx.status(200));
            r.get("/api/version", ctx -> ctx.json(Map.of("version", OLLAMA_VERSION)));
            r.get("/api/tags", api::tags);
            r.post("/api/show", api::show);
            r.get("/api/ps", api::ps);
            r.post("/api/chat", api::chat);
            r.post("/api/generate", api::generate);
            r.post("/api/embed", api::embed);
            r.post("/api/embeddings", api::legacyEmbeddings);
            r.post("/api/pull", api::pull);
            r.delete("/api/delete", api::delete);
            for (String unsupported : List.of("/api/create", "/api/copy", "/api/push")) {
                r.post(unsupported, ctx -> {
                    throw PaddockException.invalidInput(ctx.path() + " is not supported by Paddock; import GGUF files with paddock import");
                });
            }
            ApiRoutes v1 = new ApiRoutes(r);
            Gateway gateway = new Gateway(paddock, v1);
            gateway.register();
            new AnthropicMessages(paddock, v1, gateway::model).register();
        });
        try {
            app.start(settings.host(), settings.ollamaPort());
        } catch (RuntimeException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "cannot serve Ollama's API on " + settings.host() + ":" + settings.ollamaPort()
                    + ": the port is in use (Ollama itself?); stop it or choose another server.ollama_port", e);
        }
        return app;
    }

    // --- models ---

    private void tags(Context ctx) {
        ArrayNode models = PaddockServer.JSON.createArrayNode();
        for (StoredModel m : paddock.store().list()) {
            ObjectNode o = models.addObject().put("name", m.name().toString()).put("model", m.name().toString())
                    .put("modified_at", m.addedAt().toString()).put("size", m.sizeBytes()).put("digest", m.digest().hex());
            o.set("details", details(m.architecture(), m.parameterCount(), m.quantization()));
        }
        for (ProviderModel m : paddock.providers().listAllExcept(LocalProvider.NAME, w -> {})) { // names only: nothing is read
            String name = m.provider() + "/" + m.name();
            ObjectNode o = models.addObject().put("name", name).put("model", name).put("modified_at", Instant.EPOCH.toString())
                    .put("size", m.sizeBytes() == null ? 0 : m.sizeBytes()).put("digest", "");
            o.set("details", details(m.family(), m.parameterCount(), m.quantization()));
        }
        ctx.json(Map.of("models", models));
    }

    private static ObjectNode details(String family, Long parameters, String quantization) {
        ObjectNode d = PaddockServer.JSON.createObjectNode().put("parent_model", "").put("format", "gguf")
                .put("family", family == null ? "" : family);
        d.putArray("families").add(family == null ? "" : family);
        d.put("parameter_size", parameters == null ? "" : parameterSize(parameters)).put("quantization_level",
                quantization == null ? "" : quantization);
        return d;
    }

    /** Ollama's way of writing a parameter count: 1.2B, 135.0M, 0.9M. */
    static String parameterSize(long n) {
        return n >= 1_000_000_000L ? String.format(java.util.Locale.ROOT, "%.1fB", n / 1e9)
                : String.format(java.util.Locale.ROOT, "%.1fM", n / 1e6);
    }

    private void show(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        String model = name(b);
        if (model.contains("/") && !isLocal(model)) {
            ObjectNode o = PaddockServer.JSON.createObjectNode().put("modelfile", "").put("parameters", "").put("template", "");
            o.set("details", details(null, null, null));
            o.putObject("model_info");
            o.putArray("capabilities").add("completion").add("tools");
            ctx.json(o);
            return;
        }
        var d = paddock.store().show(ModelName.parse(model));
        GgufFacts f = d.file().facts();
        String template = f.chatTemplate() == null ? "" : f.chatTemplate();
        ObjectNode o = PaddockServer.JSON.createObjectNode().put("modelfile", "# Paddock model " + d.model().name() + "\nFROM "
                + d.model().name() + "\n").put("parameters", "").put("template", template)
                .put("modified_at", d.model().addedAt().toString());
        o.set("details", details(d.model().architecture(), d.model().parameterCount(), d.model().quantization()));
        ObjectNode info = o.putObject("model_info").put("general.architecture", f.architecture() == null ? "" : f.architecture());
        info.put("general.parameter_count", f.parameterCount());
        if (f.contextLength() != null) {
            info.put(f.architecture() + ".context_length", f.contextLength());
        }
        ArrayNode caps = o.putArray("capabilities").add("completion");
        if (template.contains("tools")) { // llama.cpp offers tools only for templates that render them
            caps.add("tools");
        }
        if (paddock.currentEngine().isPresent()) {
            caps.add("embedding");
        }
        ctx.json(o);
    }

    private boolean isLocal(String model) {
        try {
            ModelName n = ModelName.parse(model);
            return paddock.store().find(n).isPresent();
        } catch (PaddockException notAName) {
            return false;
        }
    }

    private void ps(Context ctx) {
        ArrayNode models = PaddockServer.JSON.createArrayNode();
        for (ModelLoader.LoadedModel m : paddock.local().loadedModels()) {
            ObjectNode o = models.addObject().put("name", m.name()).put("model", m.name())
                    .put("size", m.memoryBytes() == null ? 0 : m.memoryBytes()).put("size_vram", m.gpuMemoryBytes() == null ? 0
                            : m.gpuMemoryBytes()).put("digest", "");
            // a model kept for ever (keep_alive -1) gets a date far off, as Ollama gives it, rather than none
            o.put("expires_at", (m.expiresAt() != null ? m.expiresAt() : Instant.parse("2318-01-01T00:00:00Z")).toString());
            paddock.store().find(ModelName.parse(m.name())).ifPresent(s -> {
                o.put("digest", s.digest().hex());
                o.set("details", details(s.architecture(), s.parameterCount(), s.quantization()));
            });
        }
        ctx.json(Map.of("models", models));
    }

    private void delete(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        ModelName name = ModelName.parse(name(b));
        if (paddock.store().find(name).isEmpty()) {
            throw PaddockException.notFound("model \"" + name + "\" not found");
        }
        paddock.deletion().remove(List.of(name));
        ctx.status(200);
    }

    /** A pull through Paddock's verified downloads (catalog names, hf://, URLs), its progress in Ollama's status lines. */
    private void pull(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String what = name(b);
        boolean stream = !b.has("stream") || b.flag("stream");
        Ndjson out = new Ndjson(ctx, stream);
        out.line(PaddockServer.JSON.createObjectNode().put("status", "pulling manifest"));
        try {
            paddock.pulls().pull(what, null, null, false, e -> {
                switch (e) {
                    case PullEvent.Progress p when p.totalBytes() != null && p.doneBytes() > 0 -> out.line(PaddockServer.JSON.createObjectNode()
                            .put("status", "pulling " + p.jobId()).put("digest", p.jobId()).put("total", p.totalBytes())
                            .put("completed", p.doneBytes()));
                    case PullEvent.Progress p -> out.line(PaddockServer.JSON.createObjectNode().put("status", p.stage()));
                    default -> { }
                }
            });
        } catch (PaddockException e) {
            if (!out.started()) {
                throw e;
            }
            out.line(PaddockServer.JSON.createObjectNode().put("error", e.getMessage()));
            out.end();
            return;
        }
        out.line(PaddockServer.JSON.createObjectNode().put("status", "verifying sha256 digest"));
        out.line(PaddockServer.JSON.createObjectNode().put("status", "success"));
        out.end();
    }

    // --- chat, generate, embed ---

    private void chat(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String model = name(b);
        List<ChatMessage> messages = messages(b);
        if (messages.isEmpty()) { // Ollama loads the model for an empty chat
            load(ctx, b, model, "message", PaddockServer.JSON.createObjectNode().put("role", "assistant").put("content", ""));
            return;
        }
        ChatRequest request = request(b, model, messages);
        boolean stream = !b.has("stream") || b.flag("stream");
        Ndjson out = new Ndjson(ctx, stream);
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        TokenListener listener = new TokenListener() {
            @Override
            public void token(String piece) {
                if (stream) {
                    out.line(chunk(model).set("message", PaddockServer.JSON.createObjectNode().put("role", "assistant").put("content", piece)));
                } else {
                    text.append(piece);
                }
            }

            @Override
            public void reasoning(String piece) {
                if (stream) {
                    out.line(chunk(model).set("message", PaddockServer.JSON.createObjectNode().put("role", "assistant").put("content", "")
                            .put("thinking", piece)));
                } else {
                    thinking.append(piece);
                }
            }
        };
        ChatResult r = answer(out, () -> paddock.chat().chat(request, listener, Gateway.SOURCE));
        if (r == null) {
            return;
        }
        ObjectNode message = PaddockServer.JSON.createObjectNode().put("role", "assistant").put("content", stream ? "" : text.toString());
        if (!stream && !thinking.isEmpty()) {
            message.put("thinking", thinking.toString());
        }
        if (!r.toolCalls().isEmpty()) { // Ollama sends the calls whole, not in pieces
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall c : r.toolCalls()) {
                JsonNode args;
                try {
                    args = c.argumentsJson();
                } catch (PaddockException notJson) {
                    args = PaddockServer.JSON.createObjectNode();
                }
                calls.addObject().put("id", c.id()).putObject("function").put("name", c.name()).set("arguments", args);
            }
        }
        ObjectNode done = chunk(model);
        done.set("message", message);
        out.line(finish(done, r));
        out.end();
    }

    private void generate(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String model = name(b);
        for (String unsupported : List.of("suffix", "template", "context")) {
            if (b.has(unsupported)) {
                throw PaddockException.invalidInput("\"" + unsupported + "\" is not supported by Paddock's /api/generate; leave it out");
            }
        }
        String prompt = b.text("prompt");
        if (prompt == null || prompt.isEmpty()) { // Ollama loads (or with keep_alive 0 unloads) the model for an empty prompt
            load(ctx, b, model, "response", PaddockServer.JSON.getNodeFactory().textNode(""));
            return;
        }
        boolean raw = b.has("raw") && b.flag("raw");
        List<ChatMessage> messages = new ArrayList<>();
        String system = b.text("system");
        if (system != null && !raw) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(new ChatMessage("user", prompt, images(b, b.json().get("images")), List.of(), null));
        ChatRequest request = request(b, model, messages);
        boolean stream = !b.has("stream") || b.flag("stream");
        Ndjson out = new Ndjson(ctx, stream);
        StringBuilder text = new StringBuilder();
        TokenListener listener = piece -> {
            if (stream) {
                out.line(chunk(model).put("response", piece));
            } else {
                text.append(piece);
            }
        };
        ChatResult r = answer(out, () -> raw ? paddock.chat().complete(request, prompt, listener, Gateway.SOURCE)
                : paddock.chat().chat(request, listener, Gateway.SOURCE));
        if (r == null) {
            return;
        }
        out.line(finish(chunk(model).put("response", stream ? "" : text.toString()), r));
        out.end();
    }

    /** The answer, or null when it failed after its stream began (the error then ends the stream, as Ollama's do). */
    private static ChatResult answer(Ndjson out, java.util.function.Supplier<ChatResult> ask) throws IOException {
        try {
            return ask.get();
        } catch (PaddockException e) {
            if (!out.started()) {
                throw e;
            }
            out.line(PaddockServer.JSON.createObjectNode().put("error", e.getMessage()));
            out.end();
            return null;
        }
    }

    /** Loads (or, with keep_alive 0, unloads) a model, as Ollama does for a request with nothing to answer. */
    private void load(Context ctx, RequestBody b, String model, String field, JsonNode empty) {
        String keepAlive = keepAlive(b.json().get("keep_alive"));
        boolean unload = keepAlive != null && keepAlive.matches("0+[smh]?");
        var target = paddock.providers().resolve(model, LocalProvider.NAME);
        if (target.provider() instanceof LocalProvider local) {
            if (unload) {
                local.unloadWhenIdle(target.model()); // as Ollama does: the answers in progress finish first
            } else if (keepAlive != null) {
                local.loadFor(target.model(), keepAlive);
            } else {
                local.load(target.model(), dev.paddock.runner.RunnerDefaults.Overrides.NONE);
            }
        }
        ObjectNode o = chunk(model);
        o.set(field, empty);
        o.put("done", true).put("done_reason", unload ? "unload" : "load");
        ctx.json(o);
    }

    private void embed(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        String model = name(b);
        JsonNode input = b.json().get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            input.forEach(t -> texts.add(t.asText()));
        } else {
            throw PaddockException.invalidInput("\"input\" must be a text or a list of texts");
        }
        long begin = System.nanoTime();
        Embeddings e = paddock.chat().embed(new EmbeddingRequest(model, texts, b.integer("dimensions", 1, 1 << 16)), Gateway.SOURCE);
        ObjectNode o = PaddockServer.JSON.createObjectNode().put("model", model);
        ArrayNode vectors = o.putArray("embeddings");
        e.vectors().forEach(v -> vectors.add(floats(v)));
        o.put("total_duration", System.nanoTime() - begin).put("prompt_eval_count", e.promptTokens() == null ? 0 : e.promptTokens());
        ctx.json(o);
    }

    private void legacyEmbeddings(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        Embeddings e = paddock.chat().embed(new EmbeddingRequest(name(b), List.of(b.requiredText("prompt")), null), Gateway.SOURCE);
        ObjectNode o = PaddockServer.JSON.createObjectNode();
        o.set("embedding", floats(e.vectors().getFirst()));
        ctx.json(o);
    }

    private static ArrayNode floats(float[] v) {
        ArrayNode a = PaddockServer.JSON.createArrayNode();
        for (float x : v) {
            a.add(x);
        }
        return a;
    }

    // --- reading Ollama's requests ---

    /** The model a request names: Ollama's {@code model}, or the older {@code name}. */
    private static String name(RequestBody b) {
        String model = b.text("model");
        if (model == null || model.isBlank()) {
            model = b.text("name");
        }
        if (model == null || model.isBlank()) {
            throw PaddockException.invalidInput("\"model\" is required");
        }
        if (model.length() > Gateway.MAX_MODEL_CHARS) {
            throw PaddockException.invalidInput("\"model\" is " + model.length() + " characters long; a model name has at most "
                    + Gateway.MAX_MODEL_CHARS);
        }
        return model;
    }

    private static List<ChatMessage> messages(RequestBody b) {
        List<ChatMessage> out = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>(); // every call so far, so a tool result (filed by name) finds its call's id
        for (RequestBody m : b.objects("messages")) {
            String role = m.requiredText("role");
            String content = m.text("content") == null ? "" : m.text("content");
            switch (role) {
                case "system", "user" -> out.add(new ChatMessage(role, content, images(m, m.json().get("images")), List.of(), null));
                case "assistant" -> {
                    List<ToolCall> made = new ArrayList<>();
                    for (RequestBody c : m.objects("tool_calls")) {
                        RequestBody f = c.object("function");
                        if (f == null) {
                            throw PaddockException.invalidInput(c.path() + " needs \"function\": {name, arguments}");
                        }
                        String id = c.text("id") != null ? c.text("id") : "call_" + (calls.size() + made.size());
                        made.add(ToolCall.of(id, f.requiredText("name"), f.json().get("arguments")));
                    }
                    calls.addAll(made);
                    out.add(ChatMessage.assistant(content, made));
                }
                case "tool" -> {
                    String toolName = m.text("tool_name");
                    String id = calls.reversed().stream().filter(c -> toolName == null || c.name().equals(toolName)).map(ToolCall::id)
                            .findFirst().orElse(toolName == null ? "call_0" : toolName);
                    out.add(ChatMessage.toolResult(id, content));
                }
                default -> throw PaddockException.invalidInput(m.path() + ": role must be system, user, assistant or tool, not \"" + role
                        + "\"");
            }
        }
        return out;
    }

    /** Ollama's images: base64 without a media type, which is read off the bytes' first signature. */
    private static List<ImagePart> images(RequestBody at, JsonNode images) {
        List<ImagePart> out = new ArrayList<>();
        if (images == null || images.isNull()) {
            return out;
        }
        if (!images.isArray()) {
            throw PaddockException.invalidInput("\"" + at.path() + ".images\" must be a list of base64 images");
        }
        for (JsonNode i : images) {
            String data = i.asText().replaceFirst("^data:[^,]*,", "");
            byte[] head;
            try {
                head = java.util.Base64.getDecoder().decode(data.substring(0, Math.min(data.length(), 64) / 4 * 4));
            } catch (IllegalArgumentException e) {
                throw PaddockException.invalidInput("an image in \"" + at.path() + ".images\" is not base64");
            }
            out.add(ImagePart.ofBase64(mediaType(head), data));
        }
        return out;
    }

    private static String mediaType(byte[] h) {
        if (h.length >= 3 && (h[0] & 0xff) == 0xFF && (h[1] & 0xff) == 0xD8) {
            return "image/jpeg";
        }
        if (h.length >= 4 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F') {
            return "image/gif";
        }
        if (h.length >= 12 && h[0] == 'R' && h[1] == 'I' && h[8] == 'W' && h[9] == 'E') {
            return "image/webp";
        }
        return "image/png";
    }

    /** Options, format, tools and keep_alive of a chat or generate request, in Paddock's terms. */
    private static ChatRequest request(RequestBody b, String model, List<ChatMessage> messages) {
        RequestBody o = b.object("options");
        ObjectNode rest = PaddockServer.JSON.createObjectNode();
        Integer maxTokens = null;
        Double temperature = null;
        Long seed = null;
        List<String> stop = List.of();
        Double topP = null;
        Double presence = null;
        Double frequency = null;
        if (o != null) {
            Integer predict = o.integer("num_predict", -2, 1 << 20);
            maxTokens = predict == null || predict <= 0 ? null : predict; // -1 and -2: until the model stops or the context fills
            temperature = o.number("temperature", 0, 2);
            Integer s = o.integer("seed", Integer.MIN_VALUE, Integer.MAX_VALUE);
            seed = s == null ? null : s.longValue();
            stop = o.texts("stop");
            topP = o.number("top_p", 0, 1);
            presence = o.number("presence_penalty", -2, 2);
            frequency = o.number("frequency_penalty", -2, 2);
            o.json().properties().forEach(e -> {
                String key = e.getKey();
                if (LLAMA_CPP_OPTIONS.containsKey(key)) {
                    rest.set(LLAMA_CPP_OPTIONS.get(key), e.getValue());
                } else if (!LOAD_OPTIONS.contains(key) && !Set.of("num_predict", "temperature", "seed", "stop", "top_p",
                        "presence_penalty", "frequency_penalty").contains(key)) {
                    throw PaddockException.invalidInput("option \"" + key + "\" is not supported by Paddock; leave it out");
                }
            });
        }
        List<Tool> tools = new ArrayList<>();
        for (RequestBody t : b.objects("tools")) {
            RequestBody f = t.object("function");
            if (f == null) {
                throw PaddockException.invalidInput(t.path() + " needs \"function\": {name, description, parameters}");
            }
            JsonNode params = f.json().get("parameters");
            tools.add(new Tool(f.requiredText("name"), f.text("description"), params != null && params.isObject() ? params : null, null));
        }
        JsonNode format = b.json().get("format");
        ResponseFormat responseFormat = null;
        if (format != null && format.isTextual() && format.asText().equals("json")) {
            responseFormat = ResponseFormat.jsonObject();
        } else if (format != null && format.isObject()) {
            responseFormat = new ResponseFormat(ResponseFormat.JSON_SCHEMA, "answer", format, true);
        } else if (format != null && !format.isNull() && !(format.isTextual() && format.asText().isEmpty())) {
            throw PaddockException.invalidInput("\"format\" must be \"json\" or a JSON schema object");
        }
        return new ChatRequest(model, messages, maxTokens, temperature, seed, stop, keepAlive(b.json().get("keep_alive")), null,
                new Sampling(topP, presence, frequency, null, null), tools.isEmpty() ? null : new ToolUse(tools, ToolUse.AUTO, null, null),
                responseFormat, rest);
    }

    /** Ollama's keep_alive: a duration ("5m", "-1") or a number of seconds. */
    private static String keepAlive(JsonNode k) {
        if (k == null || k.isNull()) {
            return null;
        }
        if (k.isIntegralNumber()) {
            return k.asLong() < 0 ? "-1" : k.asLong() + "s";
        }
        if (k.isTextual()) {
            dev.paddock.runner.KeepAlive.parseSeconds(k.asText());
            return k.asText();
        }
        throw PaddockException.invalidInput("\"keep_alive\" must be a duration such as \"5m\" or a number of seconds");
    }

    // --- writing Ollama's answers ---

    private ObjectNode chunk(String model) {
        return PaddockServer.JSON.createObjectNode().put("model", model).put("created_at", paddock.clock().instant().toString())
                .put("done", false);
    }

    /** The last object of an answer: done, why, and the counts and nanosecond durations Ollama reports. */
    private static ObjectNode finish(ObjectNode o, ChatResult r) {
        o.put("done", true).put("done_reason", switch (OpenAiChatWire.finishReason(r)) {
            case "length" -> "length";
            default -> "stop";
        });
        o.put("total_duration", r.total().toNanos());
        ChatResult.EngineTimings t = r.engineTimings();
        o.put("load_duration", t == null || t.loadMillis() == null ? 0 : (long) (t.loadMillis() * 1e6));
        o.put("prompt_eval_count", r.promptTokens() == null ? 0 : r.promptTokens());
        o.put("prompt_eval_duration", t == null ? 0 : (long) (t.promptMillis() * 1e6));
        o.put("eval_count", r.completionTokens() == null ? 0 : r.completionTokens());
        o.put("eval_duration", t == null ? 0 : (long) (t.generatedMillis() * 1e6));
        return o;
    }

    /** An answer as newline-delimited JSON objects (streamed), or only its last one (not streamed). */
    private static final class Ndjson {
        private final Context ctx;
        private final boolean stream;
        private OutputStream out;

        Ndjson(Context ctx, boolean stream) {
            this.ctx = ctx;
            this.stream = stream;
        }

        boolean started() {
            return out != null;
        }

        void line(ObjectNode o) {
            if (!stream && !o.path("done").asBoolean(false) && !o.has("error") && !"success".equals(o.path("status").asText())) {
                return; // not streamed: only the whole answer (or the end of a pull) is sent
            }
            try {
                if (out == null) {
                    ctx.res().setStatus(200);
                    ctx.res().setContentType(stream ? "application/x-ndjson" : "application/json");
                    out = ctx.res().getOutputStream();
                }
                out.write((PaddockServer.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new RequestCancelled("the client went away", e);
            }
        }

        void end() throws IOException {
            if (out != null) {
                out.flush();
            }
        }
    }
}
