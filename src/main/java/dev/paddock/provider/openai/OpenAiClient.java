package dev.paddock.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.JsonHttp;
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
 * A client of the OpenAI chat API as llama-server, vLLM, LM Studio, Jan, OpenAI, OpenRouter and Groq
 * speak it: {@code GET models}, {@code POST chat/completions} streamed as server-sent events. Reads
 * llama-server's {@code timings} extension where the server sends it.
 */
public final class OpenAiClient {
    private final JsonHttp http;
    private final URI base;
    private final String apiKey;
    private final Duration timeout;
    private final boolean llamaCpp;

    /** A client of a llama.cpp server, which also gets llama.cpp's own request fields ({@code cache_prompt}). */
    public static OpenAiClient llamaCpp(JsonHttp http, URI base, String apiKey, Duration timeout) {
        return new OpenAiClient(http, base, apiKey, timeout, true);
    }

    /** @param base the API root ending in {@code /v1/}, e.g. {@code http://127.0.0.1:1234/v1/} */
    public OpenAiClient(JsonHttp http, URI base, String apiKey, Duration timeout) {
        this(http, base, apiKey, timeout, false);
    }

    private OpenAiClient(JsonHttp http, URI base, String apiKey, Duration timeout, boolean llamaCpp) {
        this.http = http;
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.llamaCpp = llamaCpp;
    }

    public List<String> modelIds() {
        JsonNode body = http.get(base.resolve("models"), headers(), Duration.ofSeconds(10));
        List<String> ids = new ArrayList<>();
        body.path("data").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    public ChatResult chat(ChatRequest req, TokenListener listener) {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("model", req.model());
        var messages = body.putArray("messages");
        for (ChatMessage m : req.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (req.maxTokens() != null) {
            body.put("max_tokens", req.maxTokens());
        }
        if (req.temperature() != null) {
            body.put("temperature", req.temperature());
        }
        if (req.seed() != null) {
            body.put("seed", req.seed());
        }
        if (!req.stop().isEmpty()) {
            var stop = body.putArray("stop");
            req.stop().forEach(stop::add);
        }
        if (req.keepAlive() != null) {
            body.put("keep_alive", req.keepAlive()); // Paddock's runner honours it; other servers ignore it
        }
        if (llamaCpp && req.cachePrompt() != null) {
            body.put("cache_prompt", req.cachePrompt()); // a cloud API would refuse a field it does not know
        }
        StreamClock clock = new StreamClock();
        String finish = null;
        Integer promptTokens = null;
        Integer completionTokens = null;
        ChatResult.EngineTimings timings = null;
        boolean done = false;
        try (Stream<String> lines = http.postForLines(base.resolve("chat/completions"), headers(), body, timeout)) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) {
                    done = true;
                    break;
                }
                JsonNode chunk = JsonHttp.JSON.readTree(data);
                if (chunk.has("error")) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "the server at " + base + " failed mid-answer: "
                            + JsonHttp.errorMessage(data));
                }
                for (JsonNode choice : chunk.path("choices")) {
                    clock.arrived(choice.path("delta").path("content").asText(null), listener);
                    if (choice.hasNonNull("finish_reason")) {
                        finish = choice.get("finish_reason").asText();
                    }
                }
                if (chunk.hasNonNull("usage")) {
                    promptTokens = chunk.get("usage").path("prompt_tokens").asInt();
                    completionTokens = chunk.get("usage").path("completion_tokens").asInt();
                }
                if (chunk.has("timings")) {
                    JsonNode t = chunk.get("timings");
                    timings = new ChatResult.EngineTimings(t.path("prompt_n").asInt(), t.path("prompt_ms").asDouble(),
                            t.path("predicted_n").asInt(), t.path("predicted_ms").asDouble(), null,
                            t.hasNonNull("cache_n") ? t.get("cache_n").asInt() : null);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from " + base + " broke off: " + e.getMessage(), e);
        }
        if (!done && finish == null) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from " + base + " ended before the answer did");
        }
        return clock.finish(finish, promptTokens, completionTokens, timings);
    }

    private Map<String, String> headers() {
        return apiKey == null || apiKey.isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
    }

    public void close() {
        http.close();
    }
}
