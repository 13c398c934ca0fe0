package dev.paddock.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.paddock.provider.ImagePart;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolCall;
import dev.paddock.provider.ToolUse;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import dev.paddock.provider.JsonHttp;
import dev.paddock.provider.Provider;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.StreamClock;
import dev.paddock.provider.TokenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Google's Gemini API: {@code models/{m}:streamGenerateContent?alt=sse} (roles user and model, the
 * system prompt as systemInstruction, usageMetadata at the end), {@code GET /v1beta/models}.
 */
public final class GeminiProvider implements Provider, dev.paddock.provider.EmbeddingProvider {
    public static final String DEFAULT_URL = "https://generativelanguage.googleapis.com";

    private final String name;
    private final URI base;
    private final String apiKey;
    private final JsonHttp http;

    public GeminiProvider(String name, String url, String apiKey) {
        this.name = name;
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.apiKey = apiKey;
        this.http = new JsonHttp("Gemini (" + name + ")", Duration.ofSeconds(10));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "gemini";
    }

    @Override
    public String location() {
        return base.toString();
    }

    private Map<String, String> headers() {
        if (apiKey == null || apiKey.isEmpty()) {
            throw PaddockException.invalidInput("no API key for " + name + ": set GEMINI_API_KEY (or the provider's api_key_env)");
        }
        return Map.of("x-goog-api-key", apiKey);
    }

    @Override
    public List<ProviderModel> listModels() {
        JsonNode body = http.get(base.resolve("v1beta/models?pageSize=1000"), headers(), Duration.ofSeconds(20));
        List<ProviderModel> out = new ArrayList<>();
        for (JsonNode m : body.path("models")) {
            String id = m.path("name").asText().replaceFirst("^models/", "");
            Long context = m.path("inputTokenLimit").isNumber() ? m.get("inputTokenLimit").asLong() : null;
            out.add(new ProviderModel(name, id, null, null, null, context, "gemini"));
        }
        return out;
    }

    /** What generateContent takes: function declarations with every choice, JSON schemas, inline images, its sampling settings. */
    private static final Set<ChatRequest.Feature> FEATURES = EnumSet.of(ChatRequest.Feature.TOOLS, ChatRequest.Feature.TOOL_CHOICE,
            ChatRequest.Feature.JSON_OBJECT, ChatRequest.Feature.JSON_SCHEMA, ChatRequest.Feature.IMAGES,
            ChatRequest.Feature.TOP_P, ChatRequest.Feature.PRESENCE_PENALTY, ChatRequest.Feature.FREQUENCY_PENALTY,
            ChatRequest.Feature.CHOICES);

    @Override
    public ChatResult chat(ChatRequest req, TokenListener listener) {
        req.requireOnly(FEATURES, "Gemini (" + name + ")", null);
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        var contents = body.putArray("contents");
        StringBuilder system = new StringBuilder();
        for (ChatMessage m : req.messages()) {
            if (m.role().equals("system")) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
                continue;
            }
            ArrayNode parts = contents.addObject().put("role", m.role().equals("assistant") ? "model" : "user").putArray("parts");
            if (m.role().equals("tool")) {
                parts.addObject().putObject("functionResponse").put("name", req.toolNameOf(m.toolCallId()).orElse(m.toolCallId()))
                        .set("response", toolResponse(m.content()));
                continue;
            }
            for (ImagePart i : m.images()) {
                if (!i.isData()) {
                    throw PaddockException.invalidInput("Gemini (" + name + ") takes images as data: URLs (base64), not web addresses");
                }
                parts.addObject().putObject("inlineData").put("mimeType", i.mediaType()).put("data", i.base64());
            }
            if (!m.content().isEmpty() || m.toolCalls().isEmpty() && m.images().isEmpty()) {
                parts.addObject().put("text", m.content());
            }
            for (ToolCall c : m.toolCalls()) {
                parts.addObject().putObject("functionCall").put("name", c.name()).set("args", c.argumentsJson());
            }
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
        tools(req, body);
        ObjectNode config = body.putObject("generationConfig");
        if (req.maxTokens() != null) {
            config.put("maxOutputTokens", req.maxTokens());
        }
        if (req.temperature() != null) {
            config.put("temperature", req.temperature());
        }
        if (req.seed() != null) {
            config.put("seed", req.seed());
        }
        if (!req.stop().isEmpty()) {
            var stop = config.putArray("stopSequences");
            req.stop().forEach(stop::add);
        }
        if (req.sampling().topP() != null) {
            config.put("topP", req.sampling().topP());
        }
        if (req.sampling().presencePenalty() != null) {
            config.put("presencePenalty", req.sampling().presencePenalty());
        }
        if (req.sampling().frequencyPenalty() != null) {
            config.put("frequencyPenalty", req.sampling().frequencyPenalty());
        }
        if (req.sampling().choiceCount() > 1) {
            config.put("candidateCount", req.sampling().choiceCount());
        }
        if (req.responseFormat() != null) {
            config.put("responseMimeType", "application/json");
            if (req.responseFormat().hasSchema()) {
                config.set("responseJsonSchema", req.responseFormat().schema()); // JSON Schema as clients write it, not the OpenAPI subset
            }
        }
        URI uri = base.resolve("v1beta/models/" + URLEncoder.encode(req.model(), StandardCharsets.UTF_8)
                + ":streamGenerateContent?alt=sse");
        StreamClock clock = new StreamClock();
        String finish = null;
        Integer input = null;
        Integer output = null;
        try (Stream<String> lines = http.postForLines(uri, headers(), body, Duration.ofMinutes(30))) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode chunk = JsonHttp.JSON.readTree(line.substring(5).strip());
                if (chunk.has("error")) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "Gemini (" + name + ") failed: "
                            + chunk.path("error").path("message").asText());
                }
                for (JsonNode c : chunk.path("candidates")) {
                    int index = c.path("index").asInt(0);
                    StreamClock one = clock.choice(index);
                    TokenListener heard = listener.choice(index);
                    for (JsonNode part : c.path("content").path("parts")) {
                        if (part.has("functionCall")) { // each call comes whole
                            JsonNode f = part.get("functionCall");
                            one.toolCall(f.path("id").asText("call_" + UUID.randomUUID().toString().substring(0, 8)),
                                    f.path("name").asText(), f.path("args").toString(), heard);
                        } else if (part.path("thought").asBoolean(false)) {
                            one.reasoning(part.path("text").asText(null), heard);
                        } else {
                            one.arrived(part.path("text").asText(null), heard);
                        }
                    }
                    if (c.hasNonNull("finishReason")) {
                        if (index == 0) {
                            finish = c.get("finishReason").asText();
                        } else {
                            clock.finished(index, finishReason(c.get("finishReason").asText(), one.hasToolCalls()));
                        }
                    }
                }
                JsonNode usage = chunk.path("usageMetadata");
                if (usage.has("promptTokenCount")) {
                    input = usage.get("promptTokenCount").asInt();
                    output = usage.path("candidatesTokenCount").asInt() + usage.path("thoughtsTokenCount").asInt();
                    if (usage.has("cachedContentTokenCount")) {
                        clock.cachedPromptTokens(usage.get("cachedContentTokenCount").asInt());
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Gemini (" + name + ") broke off: " + e.getMessage(), e);
        }
        if (finish == null) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Gemini (" + name + ") ended without a finish reason");
        }
        return clock.finish(finishReason(finish, clock.hasToolCalls()), input, output, null);
    }

    /** {@code models/{m}:batchEmbedContents}: one request per input, the vectors in their order. */
    @Override
    public dev.paddock.provider.Embeddings embed(dev.paddock.provider.EmbeddingRequest req) {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (String text : req.inputs()) {
            ObjectNode r = requests.addObject().put("model", "models/" + req.model());
            r.putObject("content").putArray("parts").addObject().put("text", text);
            if (req.dimensions() != null) {
                r.put("outputDimensionality", req.dimensions());
            }
        }
        URI uri = base.resolve("v1beta/models/" + URLEncoder.encode(req.model(), StandardCharsets.UTF_8) + ":batchEmbedContents");
        JsonNode vectors = http.post(uri, headers(), body, Duration.ofMinutes(10)).path("embeddings");
        if (vectors.size() != req.inputs().size()) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "Gemini (" + name + ") answered " + vectors.size() + " embeddings for "
                    + req.inputs().size() + " inputs");
        }
        List<float[]> out = new ArrayList<>();
        vectors.forEach(v -> out.add(dev.paddock.provider.Embeddings.vector(v.get("values"), "Gemini (" + name + ")")));
        return new dev.paddock.provider.Embeddings(out, null);
    }

    /** A tool's result as Gemini's functionResponse wants it: a JSON object, the text wrapped when it is not one. */
    private static JsonNode toolResponse(String content) {
        try {
            JsonNode n = JsonHttp.JSON.readTree(content);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException notJson) {
            // plain text
        }
        return JsonHttp.JSON.createObjectNode().put("result", content);
    }

    /** Function declarations (parameters as JSON Schema) and the calling mode. */
    private static void tools(ChatRequest req, ObjectNode body) {
        ToolUse use = req.tools();
        if (use == null || use.tools().isEmpty()) {
            return;
        }
        ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
        for (Tool t : use.tools()) {
            ObjectNode d = declarations.addObject().put("name", t.name());
            if (t.description() != null) {
                d.put("description", t.description());
            }
            if (t.parameters() != null) {
                d.set("parametersJsonSchema", t.parameters());
            }
        }
        ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig").put("mode", switch (use.choice()) {
            case ToolUse.REQUIRED, ToolUse.FUNCTION -> "ANY";
            case ToolUse.NONE -> "NONE";
            default -> "AUTO";
        });
        if (use.choice().equals(ToolUse.FUNCTION)) {
            config.putArray("allowedFunctionNames").add(use.function());
        }
    }

    /** Gemini's finish reasons in OpenAI's words. */
    static String finishReason(String finish, boolean calledTools) {
        return switch (finish) {
            case "STOP" -> calledTools ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            default -> finish.toLowerCase(java.util.Locale.ROOT);
        };
    }

    @Override
    public void close() {
        http.close();
    }
}
