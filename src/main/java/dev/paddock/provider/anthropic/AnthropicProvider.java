package dev.paddock.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.paddock.provider.ImagePart;
import dev.paddock.provider.ResponseFormat;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolCall;
import dev.paddock.provider.ToolUse;
import java.util.EnumSet;
import java.util.Set;
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
public final class AnthropicProvider implements Provider, dev.paddock.provider.TokenCounter {
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

    /**
     * What the Messages API takes: tools with every choice, images, top_p; a JSON answer is asked for as a call
     * of one forced tool whose input schema is the answer's (Anthropic's own advice for JSON), and returned as text.
     */
    private static final Set<ChatRequest.Feature> FEATURES = EnumSet.of(ChatRequest.Feature.TOOLS, ChatRequest.Feature.TOOL_CHOICE,
            ChatRequest.Feature.PARALLEL_TOOL_CALLS, ChatRequest.Feature.IMAGES, ChatRequest.Feature.TOP_P,
            ChatRequest.Feature.JSON_OBJECT, ChatRequest.Feature.JSON_SCHEMA);
    static final String JSON_TOOL = "json_answer";

    /** The Messages API's request for {@code asked}, streamed; refuses by name what Anthropic cannot take. */
    private ObjectNode body(ChatRequest asked) {
        JsonNode topK = asked.passThrough() == null ? null : asked.passThrough().get("top_k"); // Anthropic's own sampling field
        ChatRequest req = asked.withoutPassThrough("top_k");
        req.requireOnly(FEATURES, "Anthropic (" + name + ")", null);
        boolean jsonByTool = req.responseFormat() != null;
        if (jsonByTool && req.tools() != null && !req.toolsOff()) {
            throw PaddockException.invalidInput("Anthropic (" + name + ") cannot take tools and response_format together"
                    + " (Paddock asks it for JSON through a tool of its own); send one of them");
        }
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", req.model())
                .put("max_tokens", req.maxTokens() != null ? req.maxTokens() : DEFAULT_MAX_TOKENS).put("stream", true);
        StringBuilder system = new StringBuilder();
        var messages = body.putArray("messages");
        ArrayNode pendingResults = null; // consecutive tool results travel in one user message
        for (ChatMessage m : req.messages()) {
            if (m.role().equals("system")) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
                continue;
            }
            if (m.role().equals("tool")) {
                if (pendingResults == null) {
                    pendingResults = messages.addObject().put("role", "user").putArray("content");
                }
                pendingResults.addObject().put("type", "tool_result").put("tool_use_id", m.toolCallId()).put("content", m.content());
                continue;
            }
            pendingResults = null;
            ObjectNode msg = messages.addObject().put("role", m.role());
            if (m.images().isEmpty() && m.toolCalls().isEmpty()) {
                msg.put("content", m.content());
                continue;
            }
            ArrayNode blocks = msg.putArray("content");
            for (ImagePart i : m.images()) { // images before the text, as Anthropic advises
                ObjectNode source = blocks.addObject().put("type", "image").putObject("source");
                if (i.isData()) {
                    source.put("type", "base64").put("media_type", i.mediaType()).put("data", i.base64());
                } else {
                    source.put("type", "url").put("url", i.url());
                }
            }
            if (!m.content().isEmpty()) {
                blocks.addObject().put("type", "text").put("text", m.content());
            }
            for (ToolCall c : m.toolCalls()) {
                blocks.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name()).set("input", c.argumentsJson());
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        if (req.temperature() != null) {
            body.put("temperature", Math.min(1.0, req.temperature()));
        }
        if (req.sampling().topP() != null) {
            body.put("top_p", req.sampling().topP());
        }
        if (topK != null) {
            body.set("top_k", topK);
        }
        if (!req.stop().isEmpty()) {
            var stop = body.putArray("stop_sequences");
            req.stop().forEach(stop::add);
        }
        tools(req, body, jsonByTool);
        return body;
    }

    /** {@code POST /v1/messages/count_tokens}: the request's input tokens as Anthropic counts them. */
    @Override
    public int countTokens(ChatRequest request) {
        ObjectNode body = body(request);
        body.remove(java.util.List.of("max_tokens", "stream", "temperature", "top_p", "top_k", "stop_sequences"));
        JsonNode answer = http.post(base.resolve("v1/messages/count_tokens"), headers(), body, Duration.ofSeconds(30));
        if (!answer.path("input_tokens").isIntegralNumber()) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "Anthropic (" + name + ") answered no input_tokens");
        }
        return answer.get("input_tokens").asInt();
    }

    @Override
    public ChatResult chat(ChatRequest asked, TokenListener listener) {
        ChatRequest req = asked.withoutPassThrough("top_k");
        boolean jsonByTool = req.responseFormat() != null;
        ObjectNode body = body(asked);
        StreamClock clock = new StreamClock();
        Integer input = null;
        Integer output = null;
        String stopReason = null;
        java.util.Map<Integer, Integer> toolIndex = new java.util.HashMap<>(); // content block → tool call number
        try (Stream<String> lines = http.postForLines(base.resolve("v1/messages"), headers(), body, Duration.ofMinutes(30))) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode e = JsonHttp.JSON.readTree(line.substring(5).strip());
                switch (e.path("type").asText()) {
                    case "message_start" -> {
                        JsonNode usage = e.path("message").path("usage");
                        input = usage.path("input_tokens").asInt() + usage.path("cache_read_input_tokens").asInt()
                                + usage.path("cache_creation_input_tokens").asInt();
                        if (usage.has("cache_read_input_tokens")) {
                            clock.cachedPromptTokens(usage.get("cache_read_input_tokens").asInt());
                        }
                        listener.promptSize(input, usage.path("cache_read_input_tokens").asInt());
                    }
                    case "content_block_start" -> {
                        JsonNode block = e.path("content_block");
                        if (block.path("type").asText().equals("tool_use") && !jsonByTool) {
                            int index = toolIndex.size();
                            toolIndex.put(e.path("index").asInt(), index);
                            clock.toolCall(index, block.path("id").asText(null), block.path("name").asText(), "", listener);
                        }
                    }
                    case "content_block_delta" -> {
                        JsonNode delta = e.path("delta");
                        switch (delta.path("type").asText()) {
                            case "thinking_delta" -> clock.reasoning(delta.path("thinking").asText(null), listener);
                            case "input_json_delta" -> {
                                if (jsonByTool) {
                                    clock.arrived(delta.path("partial_json").asText(null), listener);
                                } else {
                                    Integer index = toolIndex.get(e.path("index").asInt());
                                    if (index != null) {
                                        clock.toolCall(index, null, null, delta.path("partial_json").asText(""), listener);
                                    }
                                }
                            }
                            default -> clock.arrived(delta.path("text").asText(null), listener);
                        }
                    }
                    case "message_delta" -> {
                        stopReason = e.path("delta").path("stop_reason").asText(null);
                        clock.stopSequence(e.path("delta").path("stop_sequence").asText(null));
                        output = e.path("usage").path("output_tokens").asInt();
                    }
                    case "message_stop" -> {
                        return clock.finish(finishReason(stopReason, jsonByTool), input, output, null);
                    }
                    case "error" -> throw new PaddockException(ErrorCode.UNAVAILABLE, "Anthropic (" + name + ") failed: "
                            + e.path("error").path("message").asText());
                    default -> { } // ping, content_block_stop
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Anthropic (" + name + ") broke off: " + e.getMessage(), e);
        }
        throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from Anthropic (" + name + ") ended before message_stop");
    }

    /** The request's tools, or the one tool that carries a JSON answer; {@code tool_choice} in Anthropic's terms. */
    private static void tools(ChatRequest req, ObjectNode body, boolean jsonByTool) {
        if (jsonByTool) {
            ResponseFormat f = req.responseFormat();
            body.putArray("tools").addObject().put("name", JSON_TOOL).put("description", "Give the answer as this JSON document")
                    .set("input_schema", f.hasSchema() ? f.schema() : JsonHttp.JSON.createObjectNode().put("type", "object"));
            body.putObject("tool_choice").put("type", "tool").put("name", JSON_TOOL);
            return;
        }
        ToolUse use = req.tools();
        if (use == null || use.tools().isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (Tool t : use.tools()) {
            ObjectNode tool = tools.addObject().put("name", t.name());
            if (t.description() != null) {
                tool.put("description", t.description());
            }
            tool.set("input_schema", t.parameters() == null ? JsonHttp.JSON.createObjectNode().put("type", "object") : t.parameters());
        }
        ObjectNode choice = body.putObject("tool_choice").put("type", switch (use.choice()) {
            case ToolUse.REQUIRED -> "any";
            case ToolUse.FUNCTION -> "tool";
            case ToolUse.NONE -> "none";
            default -> "auto";
        });
        if (use.choice().equals(ToolUse.FUNCTION)) {
            choice.put("name", use.function());
        }
        if (Boolean.FALSE.equals(use.parallel()) && !use.choice().equals(ToolUse.NONE)) {
            choice.put("disable_parallel_tool_use", true);
        }
    }

    /** Anthropic's stop reasons in OpenAI's words. */
    static String finishReason(String stopReason, boolean jsonByTool) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence", "pause_turn" -> "stop";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> jsonByTool ? "stop" : "tool_calls";
            case "refusal" -> "content_filter";
            default -> stopReason;
        };
    }

    @Override
    public void close() {
        http.close();
    }
}
