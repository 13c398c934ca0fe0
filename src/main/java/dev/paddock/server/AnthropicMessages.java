package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.app.Paddock;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.ImagePart;
import dev.paddock.provider.Sampling;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolCall;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.ToolUse;
import dev.paddock.serving.RequestCancelled;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Anthropic's Messages API at {@code /v1/messages}, over any model of any provider: system, text, images,
 * tools ({@code tool_use} and {@code tool_result} blocks), stop sequences and usage, answered whole or as the
 * documented event stream (message_start, content_block_start/delta/stop, message_delta, message_stop), so
 * Anthropic SDK clients and coding agents use local models unchanged.
 */
final class AnthropicMessages {
    private static final Set<String> KNOWN = Set.of("model", "messages", "system", "max_tokens", "stop_sequences", "stream",
            "temperature", "top_p", "tools", "tool_choice", "thinking", "metadata", "service_tier");
    private final Paddock paddock;
    /** Made once: it gathers the providers, the registry and the request log. */
    private final dev.paddock.serving.ChatService chat;
    private final ApiRoutes api;

    /** The request's model or the active one, checked as the gateway checks it. */
    private final java.util.function.Function<RequestBody, String> models;

    AnthropicMessages(Paddock paddock, ApiRoutes api, java.util.function.Function<RequestBody, String> models) {
        this.paddock = paddock;
        this.api = api;
        this.models = models;
        this.chat = paddock.chat();
    }

    void register() {
        api.post("/v1/messages", "gateway", "Anthropic's Messages API, streamed (SSE events) or not, to any model or auto[:task]",
                "Anthropic's messages request: model, max_tokens, system, messages (text, image, tool_use, tool_result blocks),"
                        + " tools, tool_choice, stop_sequences, temperature, top_p, top_k, stream", RefusalLog.of(chat, this::messages))
                .returns("{id: string, type: string, role: string, model: string, content: {type: text|thinking|tool_use, text?: string,"
                        + " thinking?: string, id?: string, name?: string, input?: any}[], stop_reason: end_turn|max_tokens|stop_sequence|tool_use|refusal,"
                        + " stop_sequence?: string, usage: {input_tokens: integer, output_tokens: integer, cache_read_input_tokens?: integer}}");
        api.post("/v1/messages/count_tokens", "gateway", "Anthropic's token count of a messages request, for a local or an Anthropic model",
                "Anthropic's count_tokens request: model, system, messages, tools", this::countTokens).returns("{input_tokens: integer}");
    }

    private void messages(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String model = models.apply(b);
        ChatRequest request = request(b, model);
        ChatMessage last = request.messages().getLast();
        String prefill = last.role().equals("assistant") && last.toolCalls().isEmpty() ? last.content() : "";
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        String[] used = {model};
        if (!b.flag("stream")) {
            ChatResult r = chat.chat(request, TokenListener.NONE, Gateway.SOURCE, m -> used[0] = m);
            String text = !prefill.isEmpty() && r.text().startsWith(prefill) ? r.text().substring(prefill.length()) : r.text();
            ObjectNode msg = PaddockServer.JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                    .put("model", used[0]);
            ArrayNode content = msg.putArray("content");
            if (r.reasoning() != null) {
                content.addObject().put("type", "thinking").put("thinking", r.reasoning()).put("signature", "");
            }
            if (!text.isEmpty() || r.toolCalls().isEmpty()) {
                content.addObject().put("type", "text").put("text", text);
            }
            for (ToolCall c : r.toolCalls()) {
                content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name()).set("input", input(c));
            }
            msg.put("stop_reason", stopReason(r)).put("stop_sequence", stopSequence(r));
            msg.set("usage", usage(r));
            ctx.json(msg);
            return;
        }
        EventStream stream = new EventStream(ctx, id);
        ChatResult r;
        try {
            TokenListener events = stream.listener(() -> used[0]);
            r = chat.chat(request, prefill.isEmpty() ? events : new PrefillCut(prefill, events), Gateway.SOURCE,
                    m -> used[0] = m);
        } catch (PaddockException e) {
            if (!stream.started) {
                throw e;
            }
            stream.error(e);
            return;
        }
        stream.finish(used[0], r);
    }

    private void countTokens(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        ObjectNode withMax = ((ObjectNode) b.json()).deepCopy();
        withMax.put("max_tokens", 1); // count_tokens takes none; the request's other checks are the same
        ChatRequest request = request(RequestBody.of(withMax, ""), models.apply(b));
        ctx.json(java.util.Map.of("input_tokens", chat.countTokens(request)));
    }

    static ChatRequest request(RequestBody b, String model) {
        Integer maxTokens = b.integer("max_tokens", 1, 1 << 20);
        if (maxTokens == null) {
            throw PaddockException.invalidInput("\"max_tokens\" is required (the most tokens the answer may have)");
        }
        List<ChatMessage> messages = new ArrayList<>();
        String system = system(b);
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        List<RequestBody> turns = b.objects("messages");
        if (turns.isEmpty()) {
            throw PaddockException.invalidInput("\"messages\" must be a non-empty list of {role, content}");
        }
        for (RequestBody m : turns) {
            String role = m.requiredText("role");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw PaddockException.invalidInput(m.path() + ": role must be user or assistant, not \"" + role + "\" (the system"
                        + " prompt goes in \"system\")");
            }
            turn(m, role, messages);
        }
        List<Tool> tools = new ArrayList<>();
        for (RequestBody t : b.objects("tools")) {
            String type = t.text("type");
            if (type != null && !type.equals("custom")) {
                throw PaddockException.invalidInput(t.path() + ": Anthropic's server tools (\"" + type + "\") run on Anthropic's side;"
                        + " only custom tools (name, description, input_schema) are supported");
            }
            JsonNode schema = t.json().get("input_schema");
            if (schema == null || !schema.isObject()) {
                throw PaddockException.invalidInput("\"" + t.path() + ".input_schema\" must be a JSON schema object");
            }
            tools.add(new Tool(t.requiredText("name"), t.text("description"), schema, null));
        }
        ObjectNode rest = PaddockServer.JSON.createObjectNode();
        b.json().properties().forEach(e -> {
            if (!KNOWN.contains(e.getKey())) {
                rest.set(e.getKey(), e.getValue()); // top_k and the like: llama.cpp and OpenAI-compatible servers take them
            }
        });
        return new ChatRequest(model, messages, maxTokens, b.number("temperature", 0, 1), null, b.texts("stop_sequences"), null,
                null, new Sampling(b.number("top_p", 0, 1), null, null, null, null), toolUse(b, tools), null, rest);
    }

    private static String system(RequestBody b) {
        JsonNode s = b.json().get("system");
        if (s == null || s.isNull()) {
            return null;
        }
        if (s.isTextual()) {
            return s.asText();
        }
        StringBuilder text = new StringBuilder();
        for (RequestBody block : b.objects("system")) {
            if (!"text".equals(block.requiredText("type"))) {
                throw PaddockException.invalidInput(block.path() + ": the system prompt holds text blocks only");
            }
            text.append(text.isEmpty() ? "" : "\n\n").append(block.requiredText("text"));
        }
        return text.toString();
    }

    /** One turn: a user turn's tool results become tool messages (before its text), an assistant turn's tool_use blocks its calls. */
    private static void turn(RequestBody m, String role, List<ChatMessage> out) {
        JsonNode content = m.json().get("content");
        if (content != null && content.isTextual()) {
            out.add(new ChatMessage(role, content.asText()));
            return;
        }
        if (content == null || !content.isArray()) {
            throw PaddockException.invalidInput("\"" + m.path() + ".content\" must be a string or a list of content blocks");
        }
        StringBuilder text = new StringBuilder();
        List<ImagePart> images = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>();
        if (content.isEmpty()) {
            throw PaddockException.invalidInput("\"" + m.path() + ".content\" holds no block; a turn needs at least one");
        }
        for (RequestBody block : m.objects("content")) {
            String type = block.requiredText("type");
            switch (type) {
                case "text" -> text.append(text.isEmpty() ? "" : "\n").append(block.requiredText("text"));
                case "image" -> images.add(image(block));
                case "tool_use" -> {
                    JsonNode input = block.json().get("input");
                    calls.add(ToolCall.of(block.requiredText("id"), block.requiredText("name"), input));
                }
                case "tool_result" -> out.add(ChatMessage.toolResult(block.requiredText("tool_use_id"), toolResult(block)));
                case "thinking", "redacted_thinking" -> { } // the model's own earlier reasoning: not sent back to any provider
                default -> throw PaddockException.invalidInput(block.path() + ": content blocks of type \"" + type
                        + "\" are not supported (text, image, tool_use, tool_result are)");
            }
        }
        if (role.equals("assistant")) {
            if (!images.isEmpty()) {
                throw PaddockException.invalidInput(m.path() + ": images go in user turns");
            }
            out.add(ChatMessage.assistant(text.toString(), calls));
        } else {
            if (!calls.isEmpty()) {
                throw PaddockException.invalidInput(m.path() + ": tool_use blocks go in assistant turns");
            }
            if (!text.isEmpty() || !images.isEmpty()) {
                out.add(new ChatMessage("user", text.toString(), images, List.of(), null));
            }
        }
    }

    private static ImagePart image(RequestBody block) {
        RequestBody source = block.object("source");
        if (source == null) {
            throw PaddockException.invalidInput(block.path() + " needs \"source\": {type: base64, media_type, data} or {type: url, url}");
        }
        return switch (source.requiredText("type")) {
            case "base64" -> ImagePart.ofBase64(source.requiredText("media_type"), source.requiredText("data"));
            case "url" -> new ImagePart(source.requiredText("url"));
            default -> throw PaddockException.invalidInput("\"" + source.path() + ".type\" must be base64 or url");
        };
    }

    /** A tool result's text: a string, or its text blocks joined; marked when the tool reported an error. */
    private static String toolResult(RequestBody block) {
        JsonNode c = block.json().get("content");
        String text;
        if (c == null || c.isNull()) {
            text = "";
        } else if (c.isTextual()) {
            text = c.asText();
        } else {
            StringBuilder sb = new StringBuilder();
            for (RequestBody part : block.objects("content")) {
                if (!"text".equals(part.requiredText("type"))) {
                    throw PaddockException.invalidInput(part.path() + ": tool results hold text blocks only");
                }
                sb.append(part.requiredText("text"));
            }
            text = sb.toString();
        }
        return block.has("is_error") && block.flag("is_error") ? "Error: " + text : text;
    }

    private static ToolUse toolUse(RequestBody b, List<Tool> tools) {
        RequestBody choice = b.object("tool_choice");
        if (tools.isEmpty()) {
            if (choice != null && !"none".equals(choice.text("type"))) {
                throw PaddockException.invalidInput("\"tool_choice\" needs \"tools\"");
            }
            return null;
        }
        if (choice == null) {
            return new ToolUse(tools, ToolUse.AUTO, null, null);
        }
        Boolean parallel = choice.has("disable_parallel_tool_use") && choice.flag("disable_parallel_tool_use") ? Boolean.FALSE : null;
        String type = choice.requiredText("type");
        return switch (type) {
            case "auto" -> new ToolUse(tools, ToolUse.AUTO, null, parallel);
            case "any" -> new ToolUse(tools, ToolUse.REQUIRED, null, parallel);
            case "none" -> new ToolUse(tools, ToolUse.NONE, null, null);
            case "tool" -> {
                String name = choice.requiredText("name");
                if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                    throw PaddockException.invalidInput("\"tool_choice\" names \"" + name + "\", which is not among the request's tools");
                }
                yield new ToolUse(tools, ToolUse.FUNCTION, name, parallel);
            }
            default -> throw PaddockException.invalidInput("\"tool_choice.type\" must be auto, any, tool or none, not \"" + type + "\"");
        };
    }

    private static JsonNode input(ToolCall c) {
        try {
            return c.argumentsJson();
        } catch (PaddockException notAnObject) { // a model's malformed arguments still reach the client, as text
            return PaddockServer.JSON.createObjectNode().put("arguments", c.arguments());
        }
    }

    /** OpenAI's finish reasons, which every provider's answer is given in, in Anthropic's words. */
    static String stopReason(ChatResult r) {
        String f = OpenAiChatWire.finishReason(r);
        if (f.equals("stop") && r.stopSequence() != null) {
            return "stop_sequence";
        }
        return switch (f) {
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** The stop string that ended the answer, when that is what ended it (null is written as JSON null). */
    private static String stopSequence(ChatResult r) {
        return stopReason(r).equals("stop_sequence") ? r.stopSequence() : null;
    }

    private static ObjectNode usage(ChatResult r) {
        int cached = r.cachedPromptTokens() == null ? 0 : r.cachedPromptTokens();
        int prompt = r.promptTokens() == null ? 0 : r.promptTokens();
        ObjectNode u = PaddockServer.JSON.createObjectNode().put("input_tokens", Math.max(0, prompt - cached))
                .put("output_tokens", r.completionTokens() == null ? 0 : r.completionTokens());
        if (r.cachedPromptTokens() != null) {
            u.put("cache_read_input_tokens", cached);
        }
        return u;
    }

    /**
     * The answer to a turn that ends with the assistant's own words (a prefill) continues them: Anthropic answers the
     * continuation only, but llama-server repeats the prefill first. This drops it when it comes, passes all else on.
     */
    private static final class PrefillCut implements TokenListener {
        private final String prefill;
        private final TokenListener next;
        private final StringBuilder held = new StringBuilder();
        private boolean decided;

        PrefillCut(String prefill, TokenListener next) {
            this.prefill = prefill;
            this.next = next;
        }

        @Override
        public void token(String text) {
            if (decided) {
                next.token(text);
                return;
            }
            held.append(text);
            if (held.length() < prefill.length() && prefill.startsWith(held.toString())) {
                return; // may still be the prefill coming back
            }
            decided = true;
            String rest = held.toString().startsWith(prefill) ? held.substring(prefill.length()) : held.toString();
            if (!rest.isEmpty()) {
                next.token(rest);
            }
        }

        @Override
        public void reasoning(String text) {
            next.reasoning(text);
        }

        @Override
        public void toolCall(int index, String id, String name, String argumentsPiece) {
            next.toolCall(index, id, name, argumentsPiece);
        }

        @Override
        public void promptSize(int tokens, int cached) {
            next.promptSize(tokens, cached);
        }

        @Override
        public boolean wantsPromptSize() {
            return next.wantsPromptSize();
        }
    }

    /**
     * The documented event sequence, opened with the first piece of the answer (so a failure before it is still a plain
     * error with its status); each change of kind (thinking, text, a tool call) closes one content block and opens the next.
     */
    private static final class EventStream {
        private final Context ctx;
        private final String id;
        private OutputStream out;
        boolean started;
        private int index = -1;
        private String open; // the open block's kind: "thinking", "text", or "tool:N"
        private int promptTokens; // as the provider said before the answer; 0 where it says only at the end
        private int cachedTokens;

        EventStream(Context ctx, String id) {
            this.ctx = ctx;
            this.id = id;
        }

        TokenListener listener(java.util.function.Supplier<String> model) {
            return new TokenListener() {
                @Override
                public void promptSize(int tokens, int cached) {
                    promptTokens = tokens;
                    cachedTokens = cached;
                }

                @Override
                public boolean wantsPromptSize() {
                    return true; // message_start counts the prompt
                }

                @Override
                public void token(String text) {
                    block(model.get(), "text", () -> PaddockServer.JSON.createObjectNode().put("type", "text").put("text", ""));
                    delta(PaddockServer.JSON.createObjectNode().put("type", "text_delta").put("text", text));
                }

                @Override
                public void reasoning(String text) {
                    block(model.get(), "thinking", () -> PaddockServer.JSON.createObjectNode().put("type", "thinking")
                            .put("thinking", "").put("signature", ""));
                    delta(PaddockServer.JSON.createObjectNode().put("type", "thinking_delta").put("thinking", text));
                }

                @Override
                public void toolCall(int call, String callId, String name, String argumentsPiece) {
                    block(model.get(), "tool:" + call, () -> PaddockServer.JSON.createObjectNode().put("type", "tool_use")
                            .put("id", callId == null ? "toolu_" + call : callId).put("name", name == null ? "" : name)
                            .set("input", PaddockServer.JSON.createObjectNode()));
                    if (!argumentsPiece.isEmpty()) {
                        delta(PaddockServer.JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", argumentsPiece));
                    }
                }
            };
        }

        private void block(String model, String kind, java.util.function.Supplier<ObjectNode> start) {
            if (!started) {
                started = true;
                try {
                    out = Gateway.eventStream(ctx);
                } catch (IOException e) {
                    throw new RequestCancelled("the client went away", e);
                }
                ObjectNode msg = PaddockServer.JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                        .put("model", model);
                msg.putArray("content");
                msg.putNull("stop_reason").putNull("stop_sequence");
                ObjectNode usage = msg.putObject("usage").put("input_tokens", Math.max(0, promptTokens - cachedTokens))
                        .put("output_tokens", 0);
                if (cachedTokens > 0) {
                    usage.put("cache_read_input_tokens", cachedTokens);
                }
                ObjectNode e = event("message_start");
                e.set("message", msg);
                send("message_start", e);
            }
            if (kind.equals(open)) {
                return;
            }
            closeBlock();
            open = kind;
            index++;
            ObjectNode e = event("content_block_start").put("index", index);
            e.set("content_block", start.get());
            send("content_block_start", e);
        }

        private void closeBlock() {
            if (open != null) {
                send("content_block_stop", event("content_block_stop").put("index", index));
                open = null;
            }
        }

        private void delta(ObjectNode delta) {
            ObjectNode e = event("content_block_delta").put("index", index);
            e.set("delta", delta);
            send("content_block_delta", e);
        }

        void finish(String model, ChatResult r) {
            if (!started) {
                block(model, "text", () -> PaddockServer.JSON.createObjectNode().put("type", "text").put("text", ""));
            }
            closeBlock();
            ObjectNode e = event("message_delta");
            e.putObject("delta").put("stop_reason", stopReason(r)).put("stop_sequence", stopSequence(r));
            e.set("usage", usage(r));
            send("message_delta", e);
            send("message_stop", event("message_stop"));
        }

        void error(PaddockException ex) {
            ObjectNode e = event("error");
            e.putObject("error").put("type", "api_error").put("message", ex.getMessage());
            send("error", e);
        }

        private static ObjectNode event(String type) {
            return PaddockServer.JSON.createObjectNode().put("type", type);
        }

        private void send(String name, ObjectNode data) {
            try {
                out.write(("event: " + name + "\ndata: " + PaddockServer.JSON.writeValueAsString(data) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new RequestCancelled("the client went away", e);
            }
        }
    }
}
