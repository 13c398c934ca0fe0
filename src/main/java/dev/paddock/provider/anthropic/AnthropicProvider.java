package dev.paddock.provider.anthropic;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Anthropic's Messages API: {@code POST /v1/messages} streamed as named server-sent events
 * (message_start, content_block_delta, message_delta, message_stop, error), {@code GET /v1/models}.
 */
public final class AnthropicProvider implements Provider {
    public static final String DEFAULT_URL = "https://api.anthropic.com";
    static final String API_VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 1024;

    private final String name;
    private final URI base;
    private final String apiKey;
    private final JsonHttp http;

    public AnthropicProvider(String name, String url, String apiKey) {
        this.name = name;
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.apiKey = apiKey;
        this.http = new JsonHttp("Anthropic (" + name + ")", Duration.ofSeconds(10));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "anthropic";
    }

    @Override
    public String location() {
        return base.toString();
    }

    private Map<String, String> headers() {
        if (apiKey == null || apiKey.isEmpty()) {
            throw PaddockException.invalidInput("no API key for " + name + ": set ANTHROPIC_API_KEY (or the provider's api_key_env)");
        }
        return Map.of("x-api-key", apiKey, "anthropic-version", API_VERSION);
    }

    @Override
    public List<ProviderModel> listModels() {
        JsonNode body = http.get(base.resolve("v1/models?limit=1000"), headers(), Duration.ofSeconds(20));
        List<ProviderModel> out = new ArrayList<>();
        body.path("data").forEach(m -> out.add(new ProviderModel(name, m.path("id").asText(), null, null, null, null, "claude")));
        return out;
    }

    @Override
    public ChatResult chat(ChatRequest req, TokenListener listener) {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", req.model())
                .put("max_tokens", req.maxTokens() != null ? req.maxTokens() : DEFAULT_MAX_TOKENS).put("stream", true);
        StringBuilder system = new StringBuilder();
        var messages = body.putArray("messages");
        for (ChatMessage m : req.messages()) {
            if (m.role().equals("system")) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
            } else {
                messages.addObject().put("role", m.role()).put("content", m.content());
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        if (req.temperature() != null) {
            body.put("temperature", Math.min(1.0, req.temperature()));
        }
        if (!req.stop().isEmpty()) {
            var stop = body.putArray("stop_sequences");
            req.stop().forEach(stop::add);
        }
        StreamClock clock = new StreamClock();
        Integer input = null;
        Integer output = null;
        String stopReason = null;
        try (Stream<String> lines = http.postForLines(base.resolve("v1/messages"), headers(), body, Duration.ofMinutes(30))) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode e = JsonHttp.JSON.readTree(line.substring(5).strip());
                switch (e.path("type").asText()) {
                    case "message_start" -> input = e.path("message").path("usage").path("input_tokens").asInt();
                    case "content_block_delta" -> clock.arrived(e.path("delta").path("text").asText(null), listener);
                    case "message_delta" -> {
                        stopReason = e.path("delta").path("stop_reason").asText(null);
                        output = e.path("usage").path("output_tokens").asInt();
                    }
                    case "message_stop" -> {
                        return clock.finish(stopReason, input, output, null);
                    }
                    case "error" -> throw new PaddockException(ErrorCode.UNAVAILABLE, "Anthropic (" + name + ") failed: "
                            + e.path("error").path("message").asText());
                    default -> { } // ping, content_block_start/stop
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Anthropic (" + name + ") broke off: " + e.getMessage(), e);
        }
        throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Anthropic (" + name + ") ended before message_stop");
    }

    @Override
    public void close() {
        http.close();
    }
}
