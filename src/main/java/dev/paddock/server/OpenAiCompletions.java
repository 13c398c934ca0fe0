package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.app.Paddock;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.TokenListener;
import dev.paddock.serving.RequestCancelled;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** OpenAI's legacy {@code /v1/completions}: raw text continued, streamed or not. */
final class OpenAiCompletions {
    private final Paddock paddock;
    /** Made once: it gathers the providers, the registry and the request log. */
    private final dev.paddock.serving.ChatService chat;
    private final Function<RequestBody, String> models;

    OpenAiCompletions(Paddock paddock, Function<RequestBody, String> models) {
        this.paddock = paddock;
        this.models = models;
        this.chat = paddock.chat();
    }

    /**
     * OpenAI's legacy completions: one prompt continued as it is. Options of the chat API apply where they mean the
     * same; {@code logprobs} (the number of alternatives, 0 to 20) comes back in this API's shape; the options only this
     * API has otherwise ({@code echo}, {@code suffix}, {@code best_of}) are refused.
     */
    void completeText(Context ctx) throws IOException {
        RequestBody b = RequestBody.of(ctx);
        String model = models.apply(b);
        JsonNode prompt = b.json().get("prompt");
        if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            prompt = prompt.get(0);
        }
        if (prompt == null || !prompt.isTextual()) {
            throw PaddockException.invalidInput("\"prompt\" must be a text (one prompt per request; token ids are not supported)");
        }
        Integer logprobs = b.integer("logprobs", 0, 20);
        for (String unsupported : List.of("echo", "suffix", "best_of", "messages", "tools")) {
            if (b.has(unsupported) && !(b.json().get(unsupported).isBoolean() && !b.json().get(unsupported).asBoolean())) {
                throw PaddockException.invalidInput("\"" + unsupported + "\" is not supported by /v1/completions here; leave it out");
            }
        }
        ObjectNode settings = ((ObjectNode) b.json()).deepCopy();
        settings.remove(List.of("prompt", "echo", "suffix", "best_of", "logprobs"));
        settings.set("messages", PaddockServer.JSON.createArrayNode().add(PaddockServer.JSON.createObjectNode().put("role", "user")
                .put("content", "")));
        if (logprobs != null) {
            settings.put("logprobs", true).put("top_logprobs", logprobs);
        }
        ChatRequest request = OpenAiChatWire.request(RequestBody.of(settings, ""), model);
        String text = prompt.asText();
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        long created = paddock.clock().instant().getEpochSecond();
        if (!b.flag("stream")) {
            ChatResult r = chat.complete(request, text, TokenListener.NONE, Gateway.SOURCE);
            ObjectNode body = Gateway.base(id, "text_completion", created, model);
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("text", r.text());
            choice.set("logprobs", logprobs == null ? PaddockServer.JSON.nullNode() // asked for: lists, empty when nothing printable came
                    : legacy(r.logprobs() == null ? PaddockServer.JSON.createArrayNode() : r.logprobs(), new int[] {text.length()}));
            choice.put("finish_reason", OpenAiChatWire.finishReason(r));
            OpenAiChatWire.usage(body, r);
            ctx.json(body);
            return;
        }
        boolean includeUsage = b.json().path("stream_options").path("include_usage").asBoolean(false);
        boolean[] started = {false};
        OutputStream[] out = {null};
        java.util.function.Consumer<ObjectNode> send = chunk -> {
            try {
                if (!started[0]) {
                    started[0] = true;
                    out[0] = Gateway.eventStream(ctx);
                }
                out[0].write(("data: " + PaddockServer.JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out[0].flush();
            } catch (IOException e) {
                throw new RequestCancelled("the client went away", e);
            }
        };
        java.util.function.BiFunction<String, String, ObjectNode> chunk = (piece, finish) -> {
            ObjectNode c = Gateway.base(id, "text_completion", created, model);
            c.putArray("choices").addObject().put("index", 0).put("text", piece).putNull("logprobs").put("finish_reason", finish);
            return c;
        };
        // a piece's log-probabilities follow it from the provider: with them asked for, each piece waits for its own
        ObjectNode[] pending = {null};
        int[] offset = {text.length()};
        Runnable flush = () -> {
            if (pending[0] != null) {
                send.accept(pending[0]);
                pending[0] = null;
            }
        };
        TokenListener listener = new TokenListener() {
            @Override
            public void token(String piece) {
                flush.run();
                if (logprobs == null) {
                    send.accept(chunk.apply(piece, null));
                } else {
                    pending[0] = chunk.apply(piece, null);
                }
            }

            @Override
            public void logprobs(JsonNode entries) {
                if (logprobs != null && pending[0] != null) {
                    ((ObjectNode) pending[0].path("choices").get(0)).set("logprobs", legacy(entries, offset));
                    flush.run();
                }
            }
        };
        ChatResult r;
        try {
            r = chat.complete(request, text, listener, Gateway.SOURCE);
            flush.run();
        } catch (PaddockException e) {
            if (!started[0]) {
                throw e;
            }
            ObjectNode err = PaddockServer.JSON.createObjectNode();
            err.putObject("error").put("code", e.code().wireName()).put("message", e.getMessage()).put("type", "server_error");
            send.accept(err);
            return;
        }
        send.accept(chunk.apply("", OpenAiChatWire.finishReason(r)));
        if (includeUsage) {
            ObjectNode u = Gateway.base(id, "text_completion", created, model);
            u.putArray("choices");
            OpenAiChatWire.usage(u, r);
            send.accept(u);
        }
        out[0].write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out[0].flush();
    }

    /**
     * Log-probabilities in this API's shape: parallel lists of tokens, their log-probabilities, the alternatives as
     * {token: logprob} and each token's character offset from the start of the prompt; {@code offset} runs on.
     */
    static ObjectNode legacy(JsonNode entries, int[] offset) {
        ObjectNode lp = PaddockServer.JSON.createObjectNode();
        var tokens = lp.putArray("tokens");
        var logprobs = lp.putArray("token_logprobs");
        var top = lp.putArray("top_logprobs");
        var offsets = lp.putArray("text_offset");
        for (JsonNode e : entries) {
            String token = e.path("token").asText();
            tokens.add(token); // as the text prints it, so the tokens join to the text and its offsets
            logprobs.add(e.path("logprob").asDouble());
            ObjectNode alternatives = top.addObject();
            e.path("top_logprobs").forEach(t -> { // tokens that print alike share a key: the likeliest, listed first, keeps it
                String key = printed(t);
                if (!alternatives.has(key)) {
                    alternatives.put(key, t.path("logprob").asDouble());
                }
            });
            offsets.add(offset[0]);
            offset[0] += token.length();
        }
        return lp;
    }

    /**
     * An alternative's key: its text, or where that text is not whole characters (part of a UTF-8 sequence, which the
     * engine shows as U+FFFD or nothing) its bytes, {@code bytes:\xe2\x80}, as OpenAI writes them, so that alternatives
     * of different bytes keep apart.
     */
    private static String printed(JsonNode entry) {
        String text = entry.path("token").asText();
        JsonNode bytes = entry.path("bytes");
        if (!bytes.isArray() || bytes.isEmpty() || !text.isEmpty() && text.indexOf('\uFFFD') < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder("bytes:");
        bytes.forEach(x -> b.append(String.format("\\x%02x", x.asInt() & 0xff)));
        return b.toString();
    }

}
