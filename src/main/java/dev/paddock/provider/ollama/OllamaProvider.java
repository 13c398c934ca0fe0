package dev.paddock.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.ImagePart;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolCall;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import dev.paddock.provider.JsonHttp;
import dev.paddock.provider.ModelLoader;
import dev.paddock.provider.Provider;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.StreamClock;
import dev.paddock.provider.TokenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An Ollama server: {@code /api/tags}, {@code /api/ps}, {@code /api/chat} (NDJSON stream with Ollama's
 * own eval counts and nanosecond durations), {@code /api/pull}, {@code /api/delete}.
 */
public final class OllamaProvider implements Provider, ModelLoader, dev.paddock.provider.EmbeddingProvider,
        dev.paddock.provider.TextCompletionProvider {
    public static final String DEFAULT_URL = "http://127.0.0.1:11434";

    private final String name;
    private final URI base;
    private final JsonHttp http;

    public OllamaProvider(String name, String url) {
        this.name = name;
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.http = new JsonHttp("Ollama (" + name + ")", Duration.ofSeconds(3));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "ollama";
    }

    @Override
    public String location() {
        return base.toString();
    }

    @Override
    public List<ProviderModel> listModels() {
        JsonNode tags = http.get(base.resolve("api/tags"), Map.of(), Duration.ofSeconds(10));
        List<ProviderModel> out = new ArrayList<>();
        for (JsonNode m : tags.path("models")) {
            JsonNode d = m.path("details");
            out.add(new ProviderModel(name, m.path("name").asText(), m.path("size").isNumber() ? m.get("size").asLong() : null,
                    ParameterSize.parse(d.path("parameter_size").asText(null)), d.path("quantization_level").asText(null),
                    null, d.path("family").asText(null)));
        }
        return out;
    }

    /** What Ollama's /api/chat takes: tools (but not a forced choice), format schemas, base64 images, its sampling options. */
    private static final Set<ChatRequest.Feature> FEATURES = EnumSet.of(ChatRequest.Feature.TOOLS, ChatRequest.Feature.JSON_OBJECT,
            ChatRequest.Feature.JSON_SCHEMA, ChatRequest.Feature.IMAGES, ChatRequest.Feature.TOP_P,
            ChatRequest.Feature.PRESENCE_PENALTY, ChatRequest.Feature.FREQUENCY_PENALTY);

    @Override
    public ChatResult chat(ChatRequest req, TokenListener listener) {
        req.requireOnly(req.toolsOff() ? with(FEATURES, ChatRequest.Feature.TOOL_CHOICE) : FEATURES, "Ollama (" + name + ")",
                null);
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", req.model()).put("stream", true);
        var messages = body.putArray("messages");
        for (ChatMessage m : req.messages()) {
            ObjectNode msg = messages.addObject().put("role", m.role()).put("content", m.content());
            if (!m.images().isEmpty()) {
                var images = msg.putArray("images");
                for (ImagePart i : m.images()) {
                    if (!i.isData()) {
                        throw PaddockException.invalidInput("Ollama (" + name + ") takes images as data: URLs (base64), not web addresses");
                    }
                    images.add(i.base64());
                }
            }
            if (!m.toolCalls().isEmpty()) {
                var calls = msg.putArray("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    calls.addObject().putObject("function").put("name", c.name()).set("arguments", c.argumentsJson());
                }
            }
            if (m.role().equals("tool")) {
                req.toolNameOf(m.toolCallId()).ifPresent(n -> msg.put("tool_name", n));
            }
        }
        if (req.tools() != null && !req.toolsOff()) {
            var tools = body.putArray("tools");
            for (Tool t : req.tools().tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function").put("name", t.name());
                if (t.description() != null) {
                    f.put("description", t.description());
                }
                f.set("parameters", t.parameters() == null ? JsonHttp.JSON.createObjectNode().put("type", "object") : t.parameters());
            }
        }
        if (req.responseFormat() != null) {
            if (req.responseFormat().hasSchema()) {
                body.set("format", req.responseFormat().schema());
            } else {
                body.put("format", "json");
            }
        }
        body.set("options", options(req));
        if (req.keepAlive() != null) {
            body.put("keep_alive", req.keepAlive());
        }
        StreamClock clock = new StreamClock();
        return stream("api/chat", body, clock, chunk -> {
            JsonNode message = chunk.path("message");
            clock.reasoning(message.path("thinking").asText(null), listener);
            clock.arrived(message.path("content").asText(null), listener);
            for (JsonNode call : message.path("tool_calls")) { // Ollama sends each call whole
                JsonNode f = call.path("function");
                clock.toolCall(call.path("id").asText("call_" + UUID.randomUUID().toString().substring(0, 8)),
                        f.path("name").asText(), f.path("arguments").isTextual() ? f.get("arguments").asText()
                                : f.path("arguments").toString(), listener);
            }
        }, done -> clock.hasToolCalls() ? "tool_calls" : done.path("done_reason").asText("stop"));
    }

    /**
     * One NDJSON answer of Ollama's: each object to {@code piece}, until the one marked done, whose counts end it;
     * an error object, a broken stream or one that ends early fails with what happened.
     */
    private ChatResult stream(String path, ObjectNode body, StreamClock clock, java.util.function.Consumer<JsonNode> piece,
            java.util.function.Function<JsonNode, String> reason) {
        try (Stream<String> lines = http.postForLines(base.resolve(path), Map.of(), body, Duration.ofMinutes(30))) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isBlank()) {
                    continue;
                }
                JsonNode chunk = JsonHttp.JSON.readTree(line);
                if (chunk.has("error")) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "Ollama (" + name + ") failed: " + chunk.get("error").asText());
                }
                piece.accept(chunk);
                if (chunk.path("done").asBoolean(false)) {
                    return done(clock, chunk, reason.apply(chunk));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Ollama (" + name + ") broke off: " + e.getMessage(), e);
        }
        throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Ollama (" + name + ") ended before the answer did");
    }

    private static Set<ChatRequest.Feature> with(Set<ChatRequest.Feature> set, ChatRequest.Feature extra) {
        EnumSet<ChatRequest.Feature> out = EnumSet.copyOf(set);
        out.add(extra);
        return out;
    }

    /** {@code /api/generate} with {@code raw}: the prompt as it is, no template. */
    @Override
    public ChatResult complete(ChatRequest settings, String prompt, TokenListener listener) {
        settings.requireOnly(EnumSet.of(ChatRequest.Feature.TOP_P, ChatRequest.Feature.PRESENCE_PENALTY,
                ChatRequest.Feature.FREQUENCY_PENALTY), "Ollama (" + name + ")", null);
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", settings.model()).put("prompt", prompt).put("raw", true)
                .put("stream", true);
        body.set("options", options(settings));
        if (settings.keepAlive() != null) {
            body.put("keep_alive", settings.keepAlive());
        }
        StreamClock clock = new StreamClock();
        return stream("api/generate", body, clock, chunk -> clock.arrived(chunk.path("response").asText(null), listener),
                done -> done.path("done_reason").asText("stop"));
    }

    /** The end of an answer: Ollama's own counts and nanosecond durations as the engine's timings. */
    private static ChatResult done(StreamClock clock, JsonNode chunk, String reason) {
        ChatResult.EngineTimings t = new ChatResult.EngineTimings(chunk.path("prompt_eval_count").asInt(),
                nanosToMillis(chunk, "prompt_eval_duration"), chunk.path("eval_count").asInt(),
                nanosToMillis(chunk, "eval_duration"), nanosToMillis(chunk, "load_duration"));
        return clock.finish(reason, t.promptTokens(), t.generatedTokens(), t);
    }

    /** Sampling settings as Ollama's options. */
    private static ObjectNode options(ChatRequest req) {
        ObjectNode options = JsonHttp.JSON.createObjectNode();
        if (req.maxTokens() != null) {
            options.put("num_predict", req.maxTokens());
        }
        if (req.temperature() != null) {
            options.put("temperature", req.temperature());
        }
        if (req.seed() != null) {
            options.put("seed", req.seed());
        }
        if (!req.stop().isEmpty()) {
            var stop = options.putArray("stop");
            req.stop().forEach(stop::add);
        }
        if (req.sampling().topP() != null) {
            options.put("top_p", req.sampling().topP());
        }
        if (req.sampling().presencePenalty() != null) {
            options.put("presence_penalty", req.sampling().presencePenalty());
        }
        if (req.sampling().frequencyPenalty() != null) {
            options.put("frequency_penalty", req.sampling().frequencyPenalty());
        }
        if (req.contextSize() != null) {
            options.put("num_ctx", req.contextSize());
        }
        return options;
    }

    /** {@code /api/embed}: all inputs in one request, vectors in their order. */
    @Override
    public dev.paddock.provider.Embeddings embed(dev.paddock.provider.EmbeddingRequest req) {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", req.model());
        var input = body.putArray("input");
        req.inputs().forEach(input::add);
        if (req.dimensions() != null) {
            body.put("dimensions", req.dimensions());
        }
        body.put("truncate", req.truncate());
        JsonNode answer = http.post(base.resolve("api/embed"), Map.of(), body, Duration.ofMinutes(10));
        JsonNode vectors = answer.path("embeddings");
        if (vectors.size() != req.inputs().size()) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "Ollama (" + name + ") answered " + vectors.size() + " embeddings for "
                    + req.inputs().size() + " inputs");
        }
        List<float[]> out = new ArrayList<>();
        vectors.forEach(v -> out.add(dev.paddock.provider.Embeddings.vector(v, "Ollama (" + name + ")")));
        JsonNode tokens = answer.path("prompt_eval_count");
        return new dev.paddock.provider.Embeddings(out, tokens.isIntegralNumber() ? tokens.asInt() : null);
    }

    @Override
    public List<LoadedModel> loadedModels() {
        JsonNode ps = http.get(base.resolve("api/ps"), Map.of(), Duration.ofSeconds(10));
        List<LoadedModel> out = new ArrayList<>();
        for (JsonNode m : ps.path("models")) {
            Instant expires = m.hasNonNull("expires_at") ? OffsetDateTime.parse(m.get("expires_at").asText()).toInstant() : null;
            out.add(new LoadedModel(name, m.path("name").asText(), m.path("size").isNumber() ? m.get("size").asLong() : null,
                    m.path("size_vram").isNumber() ? m.get("size_vram").asLong() : null, null, expires));
        }
        return out;
    }

    /** Ollama unloads a model when asked to keep it alive for zero seconds. */
    @Override
    public boolean unload(String model) {
        http.post(base.resolve("api/generate"), Map.of(),
                JsonHttp.JSON.createObjectNode().put("model", model).put("keep_alive", 0), Duration.ofSeconds(30));
        return true;
    }

    public void delete(String model) {
        http.delete(base.resolve("api/delete"), Map.of(), JsonHttp.JSON.createObjectNode().put("model", model),
                Duration.ofSeconds(30));
    }

    /** Progress of an Ollama pull, one call per status line it streams. */
    @FunctionalInterface
    public interface PullListener {
        void progress(String status, long completedBytes, long totalBytes);
    }

    public void pull(String model, PullListener listener) {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", model).put("stream", true);
        try (Stream<String> lines = http.postForLines(base.resolve("api/pull"), Map.of(), body, Duration.ofHours(12))) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JsonHttp.JSON.readTree(line);
                if (n.has("error")) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "Ollama (" + name + ") could not pull " + model + ": "
                            + n.get("error").asText());
                }
                listener.progress(n.path("status").asText(), n.path("completed").asLong(0), n.path("total").asLong(0));
                if ("success".equals(n.path("status").asText())) {
                    return;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the pull from Ollama (" + name + ") broke off: " + e.getMessage(), e);
        }
        throw new PaddockException(ErrorCode.UNAVAILABLE, "Ollama (" + name + ") ended the pull of " + model + " without success");
    }

    private static double nanosToMillis(JsonNode n, String field) {
        return n.path(field).asLong(0) / 1e6;
    }

    @Override
    public void close() {
        http.close();
    }
}
