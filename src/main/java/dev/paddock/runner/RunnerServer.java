package dev.paddock.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runner's OpenAI-compatible API on a loopback port: {@code /v1/chat/completions},
 * {@code /v1/completions} (streamed as server-sent events or not), {@code /v1/models}, {@code /health}.
 * Every route but {@code /health} needs the bearer token. One generation at a time: the engine has one slot.
 */
final class RunnerServer {
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final LlamaEngine engine;
    private final String model;
    private final byte[] token;
    private final Activity activity;
    private final ReentrantLock slot = new ReentrantLock(true);
    private final long created = System.currentTimeMillis() / 1000;
    private HttpServer server;

    RunnerServer(LlamaEngine engine, String model, String token, Activity activity) {
        this.engine = engine;
        this.model = model;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.activity = activity;
    }

    int start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        // Platform threads: a virtual thread's hand-offs between carriers cost generation speed on small machines.
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/health")) {
                send(ex, 200, OpenAiResponses.JSON.createObjectNode().put("status", "ok")
                        .put("expires_in_seconds", activity.secondsLeft()));
                return;
            }
            if (!authorized(ex)) {
                send(ex, 401, OpenAiResponses.error(401, "unauthorized", "missing or wrong bearer token"));
                return;
            }
            switch (method + " " + path) {
                case "GET /v1/models" -> send(ex, 200, OpenAiResponses.models(model, created));
                case "POST /v1/chat/completions" -> complete(ex, true);
                case "POST /v1/completions" -> complete(ex, false);
                default -> send(ex, 404, OpenAiResponses.error(404, "not_found", "no route " + method + " " + path));
            }
        } catch (PaddockException e) {
            send(ex, e.code().httpStatus(), OpenAiResponses.error(e.code().httpStatus(), e.code().wireName(), e.getMessage()));
        } catch (IOException e) {
            // the client went away
        } catch (RuntimeException e) {
            send(ex, 500, OpenAiResponses.error(500, "internal", String.valueOf(e.getMessage())));
        } finally {
            ex.close(); // after the catch blocks, which still answer on this exchange
        }
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), token);
    }

    private void complete(HttpExchange ex, boolean chat) throws IOException {
        JsonNode body = readBody(ex);
        OpenAiRequest req = OpenAiRequest.parse(body, chat, engine.contextSize());
        if (req.keepAlive() != null) {
            activity.keepAliveSeconds(KeepAlive.parseSeconds(req.keepAlive()));
        }
        String prompt = chat ? engine.applyChatTemplate(req.turns()) : req.prompt();
        int promptTokens = engine.countTokensUpTo(prompt, engine.contextSize());
        if (promptTokens >= engine.contextSize()) {
            throw OpenAiRequest.bad("the prompt has at least " + promptTokens + " tokens but the context holds " + engine.contextSize()
                    + "; shorten it, or load the model with a larger context");
        }
        int maxTokens = Math.min(req.maxTokens(), engine.contextSize() - promptTokens);
        Generation g = new Generation(prompt, maxTokens, req.temperature(), req.topP(), req.topK(), req.seed(), req.stop());
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID();
        activity.begin();
        slot.lock();
        try {
            if (req.stream()) {
                stream(ex, id, chat, req, g);
            } else {
                Generation.Result r = engine.generate(g, text -> true);
                send(ex, 200, OpenAiResponses.completion(id, model, chat, r, created));
            }
        } finally {
            slot.unlock();
            activity.end();
        }
    }

    private void stream(HttpExchange ex, String id, boolean chat, OpenAiRequest req, Generation g) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        if (chat) {
            event(out, OpenAiResponses.firstChunk(id, model, created));
        }
        // Every token chunk is the same JSON around the text: build it once, escape only the text.
        String[] frame = OpenAiResponses.tokenChunkFrame(id, model, chat, created);
        byte[] head = ("data: " + frame[0]).getBytes(StandardCharsets.UTF_8);
        byte[] tail = (frame[1] + "\n\n").getBytes(StandardCharsets.UTF_8);
        Generation.Result r;
        try {
            r = engine.generate(g, text -> {
                try {
                    out.write(head);
                    out.write(OpenAiResponses.quoted(text));
                    out.write(tail);
                    out.flush();
                    return true;
                } catch (IOException e) {
                    return false; // the client disconnected: stop generating
                }
            });
        } catch (PaddockException e) { // the status line is gone already: the error travels as an event
            event(out, OpenAiResponses.error(500, e.code().wireName(), e.getMessage()));
            return;
        }
        if (r.finishReason().equals("cancelled")) {
            return;
        }
        event(out, OpenAiResponses.finalChunk(id, model, chat, r, created));
        if (req.includeUsage()) {
            event(out, OpenAiResponses.usageChunk(id, model, chat, r, created));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void event(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + OpenAiResponses.JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw OpenAiRequest.bad("the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            try {
                return OpenAiResponses.JSON.readTree(bytes);
            } catch (IOException e) {
                throw OpenAiRequest.bad("the request body is not valid JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        if (ex.getResponseCode() != -1) {
            return; // a response is under way; nothing more can be said on it
        }
        byte[] bytes = OpenAiResponses.JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
