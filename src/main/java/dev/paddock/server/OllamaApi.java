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
import dev.paddock.provider.ModelLoader;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.ToolCall;
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

/**
 * Ollama's API on a port of its own ({@code server.ollama_port}), over Paddock's models, providers and routing, so
 * Open WebUI and other Ollama clients work unchanged: tags, show, ps, chat and generate (NDJSON streams, which Ollama
 * sends by default), embed, pull (Paddock's verified pulls), delete, version. The OpenAI and Anthropic gateways are
 * served on it too, as Ollama serves its /v1. Errors are Ollama's {@code {"error": "…"}}.
 */
final class OllamaApi {
    /** The Ollama release whose API this follows; clients check it before using newer fields. */
    static final String OLLAMA_VERSION = "0.13.0";
    private final Paddock paddock;
    /** Made once: it gathers the providers, the registry and the request log. */
    private final dev.paddock.serving.ChatService chat;

    private OllamaApi(Paddock paddock) {
        this.paddock = paddock;
        this.chat = paddock.chat();
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
            r.post("/api/chat", RefusalLog.of(api.chat, api::chat));
            r.post("/api/generate", RefusalLog.of(api.chat, api::generate));
            r.post("/api/embed", RefusalLog.of(api.chat, api::embed));
            r.post("/api/embeddings", RefusalLog.of(api.chat, api::legacyEmbeddings));
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
            o.set("details", OllamaWire.details(m.architecture(), m.parameterCount(), m.quantization()));
        }
        for (ProviderModel m : paddock.providers().listAllExcept(LocalProvider.NAME, w -> {})) { // names only: nothing is read
            String name = m.provider() + "/" + m.name();
            ObjectNode o = models.addObject().put("name", name).put("model", name).put("modified_at", Instant.EPOCH.toString())
                    .put("size", m.sizeBytes() == null ? 0 : m.sizeBytes()).put("digest", "");
            o.set("details", OllamaWire.details(m.family(), m.parameterCount(), m.quantization()));
        }
        ctx.json(Map.of("models", models));
    }

    private void show(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        String model = OllamaWire.name(b);
        if (model.contains("/") && !isLocal(model)) {
            ObjectNode o = PaddockServer.JSON.createObjectNode().put("modelfile", "").put("parameters", "").put("template", "");
            o.set("details", OllamaWire.details(null, null, null));
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
        o.set("details", OllamaWire.details(d.model().architecture(), d.model().parameterCount(), d.model().quantization()));
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
            if (d.model().vision()) { // llama-server loads its projector; the embedded engine cannot
                caps.add("vision");
            }
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
            paddock.supervisor().find(ModelName.parse(m.name())).ifPresent(r -> o.put("context_length", r.contextSize()));
            paddock.store().find(ModelName.parse(m.name())).ifPresent(s -> {
                o.put("digest", s.digest().hex());
                o.set("details", OllamaWire.details(s.architecture(), s.parameterCount(), s.quantization()));
            });
        }
        ctx.json(Map.of("models", models));
    }

    private void delete(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        ModelName name = ModelName.parse(OllamaWire.name(b));
        if (paddock.store().find(name).isEmpty()) {
            throw PaddockException.notFound("model \"" + name + "\" not found");
        }
        paddock.deletion().remove(List.of(name));
        ctx.status(200);
    }

    /** A pull through Paddock's verified downloads (catalog names, hf://, URLs), its progress in Ollama's status lines. */
    private void pull(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String what = OllamaWire.name(b);
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
        String model = OllamaWire.name(b);
        List<ChatMessage> messages = OllamaWire.messages(b);
        if (messages.isEmpty()) { // Ollama loads the model for an empty chat
            load(ctx, b, model, "message", PaddockServer.JSON.createObjectNode().put("role", "assistant").put("content", ""));
            return;
        }
        ChatRequest request = OllamaWire.request(b, model, messages);
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
        ChatResult r = answer(out, () -> chat.chat(request, listener, Gateway.SOURCE));
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
        out.line(OllamaWire.finish(done, r));
        out.end();
    }

    private void generate(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String model = OllamaWire.name(b);
        for (String unsupported : List.of("suffix", "template")) {
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
        List<ChatMessage> earlier = OllamaContext.decode(b.json().get("context"));
        List<ChatMessage> messages = new ArrayList<>();
        String system = b.text("system");
        if (system != null && !raw) {
            messages.add(ChatMessage.system(system));
        }
        messages.addAll(earlier);
        messages.add(new ChatMessage("user", prompt, OllamaWire.images(b, b.json().get("images")), List.of(), null));
        // raw: the earlier turns' text as it was sent and answered, then this prompt
        String rawPrompt = earlier.stream().map(ChatMessage::content).collect(java.util.stream.Collectors.joining()) + prompt;
        ChatRequest request = OllamaWire.request(b, model, messages);
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
        ChatResult r = answer(out, () -> raw ? chat.complete(request, rawPrompt, listener, Gateway.SOURCE)
                : chat.chat(request, listener, Gateway.SOURCE));
        if (r == null) {
            return;
        }
        List<ChatMessage> turns = new ArrayList<>(earlier);
        turns.add(ChatMessage.user(prompt));
        turns.add(ChatMessage.assistant(r.text()));
        ObjectNode done = chunk(model).put("response", stream ? "" : text.toString());
        done.set("context", OllamaContext.encode(turns));
        out.line(OllamaWire.finish(done, r));
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
        String keepAlive = OpenAiChatWire.keepAlive(b.json().get("keep_alive"));
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
        String model = OllamaWire.name(b);
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
        boolean truncate = !b.has("truncate") || b.flag("truncate"); // Ollama's default: cut, not refuse
        Embeddings e = chat.embed(new EmbeddingRequest(model, texts, b.integer("dimensions", 1, 1 << 16), truncate), Gateway.SOURCE);
        ObjectNode o = PaddockServer.JSON.createObjectNode().put("model", model);
        ArrayNode vectors = o.putArray("embeddings");
        e.vectors().forEach(v -> vectors.add(OllamaWire.floats(v)));
        o.put("total_duration", System.nanoTime() - begin).put("prompt_eval_count", e.promptTokens() == null ? 0 : e.promptTokens());
        ctx.json(o);
    }

    private void legacyEmbeddings(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        Embeddings e = chat.embed(new EmbeddingRequest(OllamaWire.name(b), List.of(b.requiredText("prompt")), null), Gateway.SOURCE);
        ObjectNode o = PaddockServer.JSON.createObjectNode();
        o.set("embedding", OllamaWire.floats(e.vectors().getFirst()));
        ctx.json(o);
    }


    private ObjectNode chunk(String model) {
        return PaddockServer.JSON.createObjectNode().put("model", model).put("created_at", paddock.clock().instant().toString())
                .put("done", false);
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
