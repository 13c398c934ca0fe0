package dev.paddock.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
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
public final class GeminiProvider implements Provider {
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

    @Override
    public ChatResult chat(ChatRequest req, TokenListener listener) {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        var contents = body.putArray("contents");
        StringBuilder system = new StringBuilder();
        for (ChatMessage m : req.messages()) {
            if (m.role().equals("system")) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
            } else {
                contents.addObject().put("role", m.role().equals("assistant") ? "model" : "user")
                        .putArray("parts").addObject().put("text", m.content());
            }
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
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
                    for (JsonNode part : c.path("content").path("parts")) {
                        clock.arrived(part.path("text").asText(null), listener);
                    }
                    if (c.hasNonNull("finishReason")) {
                        finish = c.get("finishReason").asText();
                    }
                }
                JsonNode usage = chunk.path("usageMetadata");
                if (usage.has("promptTokenCount")) {
                    input = usage.get("promptTokenCount").asInt();
                    output = usage.path("candidatesTokenCount").asInt();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Gemini (" + name + ") broke off: " + e.getMessage(), e);
        }
        if (finish == null) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Gemini (" + name + ") ended without a finish reason");
        }
        return clock.finish(finish, input, output, null);
    }

    @Override
    public void close() {
        http.close();
    }
}
