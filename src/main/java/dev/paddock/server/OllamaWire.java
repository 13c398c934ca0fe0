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
import java.util.Map;
import java.util.Set;

/**
 * Ollama's wire format, both ways: its chat and generate requests (messages with base64 images and whole tool calls,
 * options, format, tools, keep_alive) read into a {@link ChatRequest}, and the parts of its answers (model details,
 * the counts and nanosecond durations of an answer's last object).
 */
final class OllamaWire {
    /** Load-time options of Ollama's: Paddock's runner settings decide these (but num_ctx, which loads a model with it). */
    static final Set<String> LOAD_OPTIONS = Set.of("num_batch", "num_gpu", "main_gpu", "num_thread", "use_mmap",
            "use_mlock", "numa", "low_vram", "vocab_only", "num_keep");
    /** Ollama's sampling options that llama.cpp has under the same or its own name. */
    static final Map<String, String> LLAMA_CPP_OPTIONS = Map.of("top_k", "top_k", "min_p", "min_p", "typical_p", "typical_p",
            "repeat_penalty", "repeat_penalty", "repeat_last_n", "repeat_last_n", "mirostat", "mirostat", "mirostat_tau",
            "mirostat_tau", "mirostat_eta", "mirostat_eta");

    private OllamaWire() {}

    /** The model a request names: Ollama's {@code model}, or the older {@code name}. */
    static String name(RequestBody b) {
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

    static List<ChatMessage> messages(RequestBody b) {
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
    static List<ImagePart> images(RequestBody at, JsonNode images) {
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

    static String mediaType(byte[] h) {
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
    static ChatRequest request(RequestBody b, String model, List<ChatMessage> messages) {
        RequestBody o = b.object("options");
        ObjectNode rest = PaddockServer.JSON.createObjectNode();
        Integer maxTokens = null;
        Double temperature = null;
        Long seed = null;
        List<String> stop = List.of();
        Double topP = null;
        Double presence = null;
        Double frequency = null;
        Integer contextSize = null;
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
            contextSize = o.integer("num_ctx", 16, 1 << 24);
            o.json().properties().forEach(e -> {
                String key = e.getKey();
                if (LLAMA_CPP_OPTIONS.containsKey(key)) {
                    rest.set(LLAMA_CPP_OPTIONS.get(key), e.getValue());
                } else if (!LOAD_OPTIONS.contains(key) && !Set.of("num_predict", "temperature", "seed", "stop", "top_p",
                        "presence_penalty", "frequency_penalty", "num_ctx").contains(key)) {
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
        return new ChatRequest(model, messages, maxTokens, temperature, seed, stop, OpenAiChatWire.keepAlive(b.json().get("keep_alive")), null,
                new Sampling(topP, presence, frequency, null, null), tools.isEmpty() ? null : new ToolUse(tools, ToolUse.AUTO, null, null),
                responseFormat, rest, contextSize);
    }

    static ObjectNode details(String family, Long parameters, String quantization) {
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

    static ArrayNode floats(float[] v) {
        ArrayNode a = PaddockServer.JSON.createArrayNode();
        for (float x : v) {
            a.add(x);
        }
        return a;
    }

    /** The last object of an answer: done, why, and the counts and nanosecond durations Ollama reports. */
    static ObjectNode finish(ObjectNode o, ChatResult r) {
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

}
