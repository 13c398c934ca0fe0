package dev.paddock.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.ErrorCode;
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
import com.fasterxml.jackson.databind.node.ArrayNode;
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
        ObjectNode body = body(req, llamaCpp);
        if (llamaCpp && listener.wantsPromptSize()) {
            body.put("return_progress", true); // the prompt's size before the first token (Anthropic's message_start)
        }
        return stream("chat/completions", body, listener, noAlternatives(req));
    }

    /** llama.cpp gives no log-probabilities when asked for no alternatives: it is asked for one, then left out. */
    private boolean noAlternatives(ChatRequest req) {
        return llamaCpp && req.sampling().wantsLogprobs() && (req.sampling().topLogprobs() == null || req.sampling().topLogprobs() == 0);
    }

    /**
     * A text completion ({@code POST completions}) of {@code prompt} with the request's settings (its messages
     * are not sent); streamed like a chat, each chunk's {@code text} the new text.
     */
    public ChatResult complete(ChatRequest settings, String prompt, TokenListener listener) {
        ObjectNode body = body(settings, llamaCpp);
        body.remove("messages");
        body.put("prompt", prompt);
        if (settings.sampling().wantsLogprobs()) { // the completions API takes the number of alternatives as "logprobs"
            body.remove("top_logprobs");
            int top = settings.sampling().topLogprobs() == null ? 0 : settings.sampling().topLogprobs();
            body.put("logprobs", llamaCpp ? Math.max(1, top) : top);
        }
        return stream("completions", body, listener, noAlternatives(settings));
    }

    /**
     * Log-probabilities as the chat API writes them ({@code content}: token, logprob, top_logprobs), from either shape: the
     * chat API's (llama-server writes it on both endpoints) or the legacy completions API's parallel lists.
     */
    static JsonNode logprobEntries(JsonNode logprobs) {
        if (!logprobs.path("tokens").isArray()) {
            return logprobs.path("content");
        }
        ArrayNode out = JsonHttp.JSON.createArrayNode();
        for (int i = 0; i < logprobs.get("tokens").size(); i++) {
            ObjectNode e = out.addObject().put("token", logprobs.get("tokens").get(i).asText());
            e.put("logprob", logprobs.path("token_logprobs").path(i).asDouble());
            ArrayNode top = e.putArray("top_logprobs");
            logprobs.path("top_logprobs").path(i).properties().forEach(t -> top.addObject().put("token", t.getKey())
                    .put("logprob", t.getValue().asDouble()));
        }
        return out;
    }

    private ChatResult stream(String path, ObjectNode body, TokenListener listener, boolean noAlternatives) {
        Answer answer = new Answer(listener, noAlternatives);
        try (Stream<String> lines = http.postForLines(base.resolve(path), streamHeaders(), body, timeout)) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext() && answer.line(it.next())) {
                // each line is read by Answer.line
            }
        } catch (IOException | UncheckedIOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from " + base + " broke off: " + e.getMessage(), e);
        }
        if (!answer.done && answer.finish == null) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the stream from " + base + " ended before the answer did");
        }
        return answer.clock.finish(answer.finish, answer.promptTokens, answer.completionTokens, answer.timings);
    }

    /**
     * One streamed answer as its lines arrive. Each line is a call of its own: HotSpot compiles a method after a few
     * hundred calls, but a loop inside a method called once per answer only after some 60,000 turns (its on-stack
     * replacement threshold), so a per-token loop body here would run interpreted for a server's first 60,000 tokens.
     */
    private final class Answer {
        final StreamClock clock = new StreamClock();
        final TokenListener listener;
        final boolean noAlternatives;
        String finish;
        Integer promptTokens;
        Integer completionTokens;
        ChatResult.EngineTimings timings;
        boolean done;
        boolean sized;

        Answer(TokenListener listener, boolean noAlternatives) {
            this.listener = listener;
            this.noAlternatives = noAlternatives;
        }

        /** Takes one line of the stream; false once the stream says it is done. */
        boolean line(String line) throws IOException {
            if (!line.startsWith("data:")) {
                return true;
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                done = true;
                return false;
            }
            PieceChunk.Piece piece = PieceChunk.of(data);
            if (piece != null) {
                if (piece.isText()) {
                    clock.arrived(piece.text(), listener);
                } else {
                    clock.toolCall(piece.toolCall(), null, null, piece.text(), listener);
                }
                return true;
            }
            JsonNode chunk = JsonHttp.JSON.readTree(data);
            if (chunk.has("error")) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, "the server at " + base + " failed mid-answer: "
                        + JsonHttp.errorMessage(data));
            }
            JsonNode progress = chunk.path("prompt_progress");
            if (!sized && progress.has("total")) { // llama-server's first progress names the prompt before any token
                sized = true;
                listener.promptSize(progress.path("total").asInt(), progress.path("cache").asInt());
            }
            for (JsonNode choice : chunk.path("choices")) {
                choice(chunk, choice);
            }
            if (chunk.hasNonNull("usage")) {
                JsonNode usage = chunk.get("usage");
                promptTokens = usage.path("prompt_tokens").asInt();
                // llama-server sends one usage chunk per choice, OpenAI one for all: the completions add up either way
                completionTokens = (completionTokens == null ? 0 : completionTokens) + usage.path("completion_tokens").asInt();
                JsonNode cached = usage.path("prompt_tokens_details").path("cached_tokens");
                if (cached.isIntegralNumber()) {
                    clock.cachedPromptTokens(cached.asInt());
                }
            }
            if (chunk.has("timings")) {
                JsonNode t = chunk.get("timings");
                timings = new ChatResult.EngineTimings(t.path("prompt_n").asInt(), t.path("prompt_ms").asDouble(),
                        t.path("predicted_n").asInt(), t.path("predicted_ms").asDouble(), null,
                        t.hasNonNull("cache_n") ? t.get("cache_n").asInt() : null);
            }
            return true;
        }

        private void choice(JsonNode chunk, JsonNode choice) {
            int index = choice.path("index").asInt(0);
            if (index == 0 && chunk.path("__verbose").hasNonNull("stopping_word")) {
                clock.stopSequence(chunk.get("__verbose").get("stopping_word").asText());
            }
            StreamClock c = clock.choice(index);
            TokenListener l = listener.choice(index);
            JsonNode delta = choice.path("delta");
            // reasoning_content: llama-server, DeepSeek; reasoning: vLLM, OpenRouter
            c.reasoning(delta.path("reasoning_content").asText(delta.path("reasoning").asText(null)), l);
            c.arrived(delta.path("content").asText(choice.path("text").asText(null)), l);
            for (JsonNode call : delta.path("tool_calls")) {
                JsonNode f = call.path("function");
                c.toolCall(call.path("index").asInt(0), call.path("id").asText(null), f.path("name").asText(null),
                        f.path("arguments").asText(null), l);
            }
            JsonNode logprobs = logprobEntries(choice.path("logprobs"));
            if (noAlternatives) {
                logprobs.forEach(e -> {
                    if (e instanceof ObjectNode entry) {
                        entry.putArray("top_logprobs");
                    }
                });
            }
            c.logprobs(logprobs, l);
            if (choice.hasNonNull("finish_reason")) {
                if (index == 0) {
                    finish = choice.get("finish_reason").asText();
                } else {
                    clock.finished(index, choice.get("finish_reason").asText());
                }
            }
        }
    }

    /**
     * The request in OpenAI's wire format, streamed with usage; a llama.cpp server also gets llama.cpp's own
     * fields ({@code cache_prompt}, {@code keep_alive} for Paddock's runner), which a cloud API would refuse.
     */
    public static ObjectNode body(ChatRequest req, boolean llamaCpp) {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        if (req.passThrough() != null) {
            body.setAll(req.passThrough()); // first: Paddock's own fields win over a stray duplicate
        }
        body.put("model", req.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : req.messages()) {
            messages.add(message(m));
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
        Sampling s = req.sampling();
        putIfSet(body, "top_p", s.topP());
        putIfSet(body, "presence_penalty", s.presencePenalty());
        putIfSet(body, "frequency_penalty", s.frequencyPenalty());
        if (s.choiceCount() > 1) {
            body.put("n", s.choiceCount());
        }
        if (s.wantsLogprobs()) {
            body.put("logprobs", true);
            int top = s.topLogprobs() == null ? 0 : s.topLogprobs();
            body.put("top_logprobs", llamaCpp ? Math.max(1, top) : top); // OpenAI's default is none; llama.cpp's is 20
        }
        ToolUse tools = req.tools();
        if (tools != null) {
            // llama-server takes tool_choice as a string only and treats a named function as auto: it gets that one tool, required
            boolean named = tools.choice().equals(ToolUse.FUNCTION);
            ArrayNode list = body.putArray("tools");
            for (Tool t : tools.tools()) {
                if (llamaCpp && named && !t.name().equals(tools.function())) {
                    continue;
                }
                ObjectNode f = list.addObject().put("type", "function").putObject("function").put("name", t.name());
                if (t.description() != null) {
                    f.put("description", t.description());
                }
                if (t.parameters() != null) {
                    f.set("parameters", t.parameters());
                }
                if (t.strict() != null) {
                    f.put("strict", t.strict());
                }
            }
            if (named && llamaCpp) {
                body.put("tool_choice", ToolUse.REQUIRED);
            } else if (named) {
                body.putObject("tool_choice").put("type", "function").putObject("function").put("name", tools.function());
            } else {
                body.put("tool_choice", tools.choice());
            }
            if (tools.parallel() != null) {
                body.put("parallel_tool_calls", tools.parallel());
            }
        }
        ResponseFormat format = req.responseFormat();
        if (format != null) {
            ObjectNode f = body.putObject("response_format").put("type", format.type());
            if (format.hasSchema()) {
                ObjectNode js = f.putObject("json_schema").put("name", format.name() == null ? "answer" : format.name());
                js.set("schema", format.schema());
                if (format.strict() != null) {
                    js.put("strict", format.strict());
                }
            }
        }
        if (llamaCpp && req.keepAlive() != null) {
            body.put("keep_alive", req.keepAlive()); // Paddock's runner honours it
        }
        if (llamaCpp && req.cachePrompt() != null) {
            body.put("cache_prompt", req.cachePrompt());
        }
        if (llamaCpp && !req.stop().isEmpty()) { // which stop string ended the answer: only llama.cpp's own fields say
            body.put("verbose", true).putArray("response_fields").add("stopping_word");
        }
        return body;
    }

    /** One message: content a string, or parts when it carries images; null beside tool calls that say nothing. */
    private static ObjectNode message(ChatMessage m) {
        ObjectNode msg = JsonHttp.JSON.createObjectNode().put("role", m.role());
        if (!m.images().isEmpty()) {
            ArrayNode parts = msg.putArray("content");
            if (!m.content().isEmpty()) {
                parts.addObject().put("type", "text").put("text", m.content());
            }
            for (ImagePart i : m.images()) {
                parts.addObject().put("type", "image_url").putObject("image_url").put("url", i.url());
            }
        } else if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", m.content());
        }
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = msg.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                        .put("name", c.name()).put("arguments", c.arguments());
            }
        }
        if (m.toolCallId() != null) {
            msg.put("tool_call_id", m.toolCallId());
        }
        return msg;
    }

    private static void putIfSet(ObjectNode body, String field, Double value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    /** {@code POST embeddings}, floats asked for whatever the client wants (the gateway encodes them itself). */
    public dev.paddock.provider.Embeddings embed(dev.paddock.provider.EmbeddingRequest req) {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("model", req.model()).put("encoding_format", "float");
        ArrayNode input = body.putArray("input");
        req.inputs().forEach(input::add);
        if (req.dimensions() != null) {
            body.put("dimensions", req.dimensions());
        }
        return dev.paddock.provider.Embeddings.ofOpenAi(http.post(base.resolve("embeddings"), headers(), body, timeout),
                req.inputs().size(), "the server at " + base);
    }

    /**
     * llama-server closes a connection once it has streamed an answer on it, though it says keep-alive: asked to close, the
     * client keeps no connection that the next request would find dead (and then send again on a new one).
     */
    private Map<String, String> streamHeaders() {
        if (!llamaCpp) {
            return headers();
        }
        Map<String, String> h = new java.util.HashMap<>(headers());
        h.put("Connection", "close");
        return h;
    }

    private Map<String, String> headers() {
        return apiKey == null || apiKey.isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
    }

    public void close() {
        http.close();
    }
}
