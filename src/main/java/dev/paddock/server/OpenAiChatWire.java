package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.ImagePart;
import dev.paddock.provider.ResponseFormat;
import dev.paddock.provider.Sampling;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolCall;
import dev.paddock.provider.ToolUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's Chat Completions request, read into a {@link ChatRequest} with every field checked (a wrong one is
 * a 400 that names it), and the answer written back in OpenAI's shape. Fields Paddock does not know are kept
 * as they are, for OpenAI-compatible providers to receive.
 */
final class OpenAiChatWire {
    /** Fields read here or by the gateway itself; anything else is passed through. */
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens", "temperature",
            "seed", "stop", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls", "response_format",
            "top_p", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "n", "keep_alive", "functions",
            "function_call");

    private OpenAiChatWire() {}

    static ChatRequest request(RequestBody b, String model) {
        Integer maxTokens = b.integer("max_completion_tokens", 1, 1 << 20);
        if (maxTokens == null) {
            maxTokens = b.integer("max_tokens", 1, 1 << 20);
        }
        Integer n = b.integer("n", 1, 128);
        if (b.has("functions") || b.has("function_call")) {
            throw PaddockException.invalidInput("\"functions\" and \"function_call\" are OpenAI's deprecated names; send \"tools\" and"
                    + " \"tool_choice\" instead");
        }
        Integer seed = b.integer("seed", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Integer topLogprobs = b.integer("top_logprobs", 0, 20);
        boolean logprobs = b.flag("logprobs");
        if (topLogprobs != null && topLogprobs > 0 && !logprobs) {
            throw PaddockException.invalidInput("\"top_logprobs\" needs \"logprobs\": true");
        }
        Sampling sampling = new Sampling(b.number("top_p", 0, 1), b.number("presence_penalty", -2, 2),
                b.number("frequency_penalty", -2, 2), logprobs ? Boolean.TRUE : null, logprobs ? topLogprobs : null, n != null && n > 1 ? n : null);
        List<Tool> tools = tools(b);
        ToolUse toolUse = toolUse(b, tools);
        streamOptions(b);
        ObjectNode rest = PaddockServer.JSON.createObjectNode();
        b.json().properties().forEach(e -> {
            if (!KNOWN.contains(e.getKey())) {
                rest.set(e.getKey(), e.getValue());
            }
        });
        llamaCppFields(RequestBody.of(rest, ""));
        return new ChatRequest(model, messages(b), maxTokens, b.number("temperature", 0, 2), seed == null ? null : seed.longValue(),
                stop(b.json().get("stop")), keepAlive(b.json().get("keep_alive")), null, sampling, toolUse, responseFormat(b), rest);
    }

    private static List<ChatMessage> messages(RequestBody b) {
        List<RequestBody> list = b.objects("messages");
        if (list.isEmpty()) {
            throw PaddockException.invalidInput("\"messages\" must be a non-empty list of {role, content}");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (RequestBody m : list) {
            String role = m.requiredText("role");
            List<ImagePart> images = new ArrayList<>();
            String text = content(m, images);
            switch (role) {
                case "system", "developer", "user" -> {
                    if (text == null) {
                        throw PaddockException.invalidInput(m.path() + " needs \"content\": a string or a list of parts");
                    }
                    if (!images.isEmpty() && !role.equals("user")) {
                        throw PaddockException.invalidInput(m.path() + ": images go in user messages");
                    }
                    out.add(new ChatMessage(role.equals("developer") ? "system" : role, text, images, List.of(), null));
                }
                case "assistant" -> {
                    List<ToolCall> calls = new ArrayList<>();
                    for (RequestBody c : m.objects("tool_calls")) {
                        String type = c.text("type");
                        if (type != null && !type.equals("function")) {
                            throw PaddockException.invalidInput(c.path() + ": only \"function\" tool calls exist, not \"" + type + "\"");
                        }
                        RequestBody f = c.object("function");
                        if (f == null) {
                            throw PaddockException.invalidInput(c.path() + " needs \"function\": {name, arguments}");
                        }
                        calls.add(new ToolCall(c.requiredText("id"), f.requiredText("name"), f.text("arguments")));
                    }
                    if (text == null && calls.isEmpty()) {
                        throw PaddockException.invalidInput(m.path() + " needs \"content\" or \"tool_calls\"");
                    }
                    if (!images.isEmpty()) {
                        throw PaddockException.invalidInput(m.path() + ": images go in user messages");
                    }
                    out.add(ChatMessage.assistant(text == null ? "" : text, calls));
                }
                case "tool" -> {
                    if (text == null) {
                        throw PaddockException.invalidInput(m.path() + " needs \"content\": the tool's result");
                    }
                    out.add(ChatMessage.toolResult(m.requiredText("tool_call_id"), text));
                }
                default -> throw PaddockException.invalidInput(m.path() + ": role must be system, developer, user, assistant or tool, not \""
                        + role + "\"");
            }
        }
        return out;
    }

    /** The text of a message's content (parts joined), its images added to {@code images}; null when there is none. */
    private static String content(RequestBody m, List<ImagePart> images) {
        JsonNode c = m.json().get("content");
        if (c == null || c.isNull()) {
            return null;
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (!c.isArray()) {
            throw PaddockException.invalidInput("\"" + m.path() + ".content\" must be a string or a list of parts");
        }
        StringBuilder sb = new StringBuilder();
        for (RequestBody part : m.objects("content")) {
            String type = part.requiredText("type");
            switch (type) {
                case "text" -> sb.append(part.requiredText("text"));
                case "image_url" -> {
                    JsonNode url = part.json().get("image_url");
                    String u = url != null && url.isTextual() ? url.asText() : url != null && url.isObject()
                            ? RequestBody.of(url, part.path() + ".image_url").requiredText("url") : null;
                    if (u == null) {
                        throw PaddockException.invalidInput(part.path() + " needs \"image_url\": {url}");
                    }
                    images.add(new ImagePart(u));
                }
                default -> throw PaddockException.invalidInput(part.path() + ": content parts of type \"" + type
                        + "\" are not supported (text and image_url are)");
            }
        }
        return sb.toString();
    }

    private static List<Tool> tools(RequestBody b) {
        List<Tool> out = new ArrayList<>();
        for (RequestBody t : b.objects("tools")) {
            String type = t.requiredText("type");
            if (!type.equals("function")) {
                throw PaddockException.invalidInput(t.path() + ": only \"function\" tools are supported, not \"" + type + "\"");
            }
            RequestBody f = t.object("function");
            if (f == null) {
                throw PaddockException.invalidInput(t.path() + " needs \"function\": {name, description, parameters}");
            }
            String name = f.requiredText("name");
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw PaddockException.invalidInput("\"" + f.path() + ".name\" must be 1 to 64 letters, digits, _ . or -");
            }
            if (out.stream().anyMatch(x -> x.name().equals(name))) {
                throw PaddockException.invalidInput("two tools are named \"" + name + "\"");
            }
            JsonNode params = f.json().get("parameters");
            if (params != null && !params.isNull() && !params.isObject()) {
                throw PaddockException.invalidInput("\"" + f.path() + ".parameters\" must be a JSON schema object");
            }
            out.add(new Tool(name, f.text("description"), params == null || params.isNull() ? null : params,
                    f.has("strict") ? f.flag("strict") : null));
        }
        return out;
    }

    private static ToolUse toolUse(RequestBody b, List<Tool> tools) {
        JsonNode choice = b.json().get("tool_choice");
        Boolean parallel = b.has("parallel_tool_calls") ? b.flag("parallel_tool_calls") : null;
        if (tools.isEmpty()) {
            if (choice != null && !choice.isNull() && !(choice.isTextual() && choice.asText().equals("none"))) {
                throw PaddockException.invalidInput("\"tool_choice\" needs \"tools\"");
            }
            return null;
        }
        if (choice == null || choice.isNull()) {
            return new ToolUse(tools, ToolUse.AUTO, null, parallel);
        }
        if (choice.isTextual()) {
            String c = choice.asText();
            if (!Set.of(ToolUse.AUTO, ToolUse.NONE, ToolUse.REQUIRED).contains(c)) {
                throw PaddockException.invalidInput("\"tool_choice\" must be auto, none, required or {type: function, function: {name}},"
                        + " not \"" + c + "\"");
            }
            return new ToolUse(tools, c, null, parallel);
        }
        RequestBody f = RequestBody.of(choice, "tool_choice").object("function");
        if (f == null) {
            throw PaddockException.invalidInput("\"tool_choice\" must be auto, none, required or {type: function, function: {name}}");
        }
        String name = f.requiredText("name");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw PaddockException.invalidInput("\"tool_choice\" names \"" + name + "\", which is not among the request's tools");
        }
        return new ToolUse(tools, ToolUse.FUNCTION, name, parallel);
    }

    private static ResponseFormat responseFormat(RequestBody b) {
        RequestBody f = b.object("response_format");
        if (f == null) {
            return null;
        }
        String type = f.requiredText("type");
        return switch (type) {
            case "text" -> null;
            case ResponseFormat.JSON_OBJECT -> ResponseFormat.jsonObject();
            case ResponseFormat.JSON_SCHEMA -> {
                RequestBody s = f.object("json_schema");
                if (s == null) {
                    throw PaddockException.invalidInput("\"response_format\" of type json_schema needs \"json_schema\": {name, schema}");
                }
                JsonNode schema = s.json().get("schema");
                if (schema == null || !schema.isObject()) {
                    throw PaddockException.invalidInput("\"response_format.json_schema.schema\" must be a JSON schema object");
                }
                yield new ResponseFormat(ResponseFormat.JSON_SCHEMA, s.requiredText("name"), schema,
                        s.has("strict") ? s.flag("strict") : null);
            }
            default -> throw PaddockException.invalidInput("\"response_format.type\" must be text, json_object or json_schema, not \""
                    + type + "\"");
        };
    }

    private static void streamOptions(RequestBody b) {
        RequestBody options = b.object("stream_options");
        if (options == null) {
            return;
        }
        if (!b.flag("stream")) {
            throw PaddockException.invalidInput("\"stream_options\" is only for \"stream\": true");
        }
        options.flag("include_usage");
    }

    /**
     * llama.cpp's own sampling fields, which go on to local models as they are: checked here, so that a wrong one is
     * a 400 naming it rather than the engine's parser error; {@code n_predict} would override the checked max_tokens.
     */
    private static void llamaCppFields(RequestBody rest) {
        if (rest.has("n_predict")) {
            throw PaddockException.invalidInput("\"n_predict\" is llama.cpp's name for it; send \"max_tokens\"");
        }
        rest.integer("top_k", 0, 1 << 20);
        rest.number("min_p", 0, 1);
        rest.number("typical_p", 0, 1);
        rest.number("repeat_penalty", 0, 10);
        rest.integer("repeat_last_n", -1, 1 << 20);
        rest.integer("mirostat", 0, 2);
        rest.number("mirostat_tau", 0, 100);
        rest.number("mirostat_eta", 0, 1);
        rest.text("grammar");
    }

    /** Ollama's keep_alive, which Paddock's runners and Ollama honour: "5m", "-1", or a number of seconds. */
    static String keepAlive(JsonNode k) {
        if (k == null || k.isNull()) {
            return null;
        }
        if (k.isTextual()) {
            dev.paddock.runner.KeepAlive.parseSeconds(k.asText()); // refused here, with what is allowed, not by a runner later
            return k.asText();
        }
        if (k.isIntegralNumber()) {
            return k.asLong() < 0 ? "-1" : k.asLong() + "s";
        }
        throw PaddockException.invalidInput("\"keep_alive\" must be a duration such as \"5m\" or a number of seconds");
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        List<String> out = new ArrayList<>();
        if (stop.isArray() && stop.size() <= 16) {
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw PaddockException.invalidInput("\"stop\" must be a string or a list of strings");
                }
                out.add(s.asText());
            }
            return out;
        }
        throw PaddockException.invalidInput("\"stop\" must be a string or a list of up to 16 strings");
    }

    /** The assistant message of a whole answer, OpenAI's shape: content null when the model only called tools. */
    static ObjectNode message(ChatResult.Choice r) {
        ObjectNode msg = PaddockServer.JSON.createObjectNode().put("role", "assistant");
        if (r.text().isEmpty() && !r.toolCalls().isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", r.text());
        }
        if (r.reasoning() != null) {
            msg.put("reasoning_content", r.reasoning());
        }
        if (!r.toolCalls().isEmpty()) {
            ArrayNode calls = msg.putArray("tool_calls");
            for (ToolCall c : r.toolCalls()) {
                calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                        .put("name", c.name()).put("arguments", c.arguments());
            }
        }
        return msg;
    }

    /** The finish reason in OpenAI's words; an answer that called tools finished for them. */
    static String finishReason(ChatResult r) {
        return finishReason(r.choices().getFirst());
    }

    static String finishReason(ChatResult.Choice c) {
        if (!c.toolCalls().isEmpty() && (c.finishReason() == null || c.finishReason().equals("stop"))) {
            return "tool_calls";
        }
        return c.finishReason() == null ? "stop" : c.finishReason();
    }

    /** Usage with cached prompt tokens, and the engine's own timings in llama-server's shape where the provider reported them. */
    static void usage(ObjectNode body, ChatResult r) {
        usage(body, r, null);
    }

    /** As above, with what the answer cost in USD as {@code usage.cost} (OpenRouter's field) when its price is known. */
    static void usage(ObjectNode body, ChatResult r, Double costUsd) {
        if (r.promptTokens() != null || r.completionTokens() != null) {
            int p = r.promptTokens() == null ? 0 : r.promptTokens();
            int c = r.completionTokens() == null ? 0 : r.completionTokens();
            ObjectNode u = body.putObject("usage").put("prompt_tokens", p).put("completion_tokens", c).put("total_tokens", p + c);
            if (r.cachedPromptTokens() != null) {
                u.putObject("prompt_tokens_details").put("cached_tokens", r.cachedPromptTokens());
            }
            if (costUsd != null) {
                u.put("cost", costUsd);
            }
        }
        ChatResult.EngineTimings t = r.engineTimings();
        if (t != null) {
            ObjectNode timings = body.putObject("timings").put("prompt_n", t.promptTokens()).put("prompt_ms", t.promptMillis())
                    .put("predicted_n", t.generatedTokens()).put("predicted_ms", t.generatedMillis());
            if (t.cachedPromptTokens() != null) {
                timings.put("cache_n", t.cachedPromptTokens());
            }
        }
    }
}
