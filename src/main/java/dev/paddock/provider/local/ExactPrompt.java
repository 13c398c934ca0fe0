package dev.paddock.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.JsonHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A user message whose whole prompt, chat template included, is exactly N tokens for the engine that will
 * read it, as {@code llama-bench -p N} measures N tokens: made with llama-server's own template
 * ({@code /apply-template}), tokenizer ({@code /tokenize}) and detokenizer, adjusting the message's length
 * until the count is exact.
 */
final class ExactPrompt {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final JsonHttp http;
    private final URI root;
    private final Map<String, String> headers;

    ExactPrompt(JsonHttp http, int port, String token) {
        this.http = http;
        this.root = URI.create("http://127.0.0.1:" + port + "/");
        this.headers = Map.of("Authorization", "Bearer " + token);
    }

    /** The message, or empty when the engine has no tokenizer endpoints (the embedded engine) or no exact length exists. */
    Optional<String> ofTokens(int tokens, String filler) {
        int[] ids;
        int overhead;
        try {
            ids = tokenize(filler, false);
            overhead = total("");
        } catch (PaddockException noEndpoints) {
            return Optional.empty();
        }
        int k = Math.max(1, Math.min(ids.length, tokens - overhead));
        int below = 0; // the longest cut found whose prompt is still short of the target
        for (int attempt = 0; attempt < 24; attempt++) { // close in on the cut, then walk one token at a time
            String content = detokenize(ids, k);
            int n = total(content);
            if (n == tokens) {
                return Optional.of(content);
            }
            if (n < tokens) {
                below = Math.max(below, k);
            }
            int step = attempt < 4 ? tokens - n : Integer.signum(tokens - n);
            int next = Math.max(1, Math.min(ids.length, k + step));
            if (next == k) {
                break;
            }
            k = next;
        }
        return below == 0 ? Optional.empty() : padded(detokenize(ids, below), tokens);
    }

    /**
     * Some counts sit between two cuts (a byte-level vocabulary spends three tokens on a space): the text
     * is then grown by single characters, each kept only if it adds exactly one token.
     */
    private Optional<String> padded(String content, int tokens) {
        String text = content;
        int n = total(text);
        for (int i = 0; i < 64 && n < tokens; i++) {
            boolean grew = false;
            for (String c : PADDING) {
                int m = total(text + c);
                if (m == n + 1) {
                    text += c;
                    n = m;
                    grew = true;
                    break;
                }
            }
            if (!grew) {
                return Optional.empty();
            }
        }
        return n == tokens ? Optional.of(text) : Optional.empty();
    }

    private static final java.util.List<String> PADDING = java.util.List.of("x", ".", ",", "\n", "a", "1");

    /** Tokens of the message's whole prompt as the chat endpoint builds it. */
    private int total(String content) {
        ObjectNode req = JsonHttp.JSON.createObjectNode();
        req.putArray("messages").addObject().put("role", "user").put("content", content);
        return tokensOf(req);
    }

    /** The text cut to its first {@code tokens} tokens (as the model reads it, beginning-of-text included); as it is when shorter. */
    String cutTo(String text, int tokens) {
        int[] ids = tokenize(text, true);
        if (ids.length <= tokens) {
            return text;
        }
        int[] plain = tokenize(text, false);
        int keep = Math.max(1, tokens - (ids.length - plain.length)); // room for the special tokens the engine adds
        return detokenize(plain, Math.min(keep, plain.length));
    }

    /** Tokens of a whole chat request's prompt (messages, tools and all) through the model's own chat template. */
    int tokensOf(ObjectNode chatRequest) {
        String prompt = http.post(root.resolve("apply-template"), headers, chatRequest, TIMEOUT).path("prompt").asText();
        return tokenize(prompt, true).length;
    }

    private int[] tokenize(String text, boolean special) {
        ObjectNode req = JsonHttp.JSON.createObjectNode().put("content", text).put("add_special", special).put("parse_special", true);
        JsonNode tokens = http.post(root.resolve("tokenize"), headers, req, TIMEOUT).path("tokens");
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.get(i).asInt();
        }
        return ids;
    }

    private String detokenize(int[] ids, int count) {
        ObjectNode req = JsonHttp.JSON.createObjectNode();
        ArrayNode a = req.putArray("tokens");
        for (int i = 0; i < count; i++) {
            a.add(ids[i]);
        }
        return http.post(root.resolve("detokenize"), headers, req, TIMEOUT).path("content").asText();
    }
}
