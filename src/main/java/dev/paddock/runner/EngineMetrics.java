package dev.paddock.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a runner's llama-server says about itself: its slots ({@code /slots}: how many, how many busy) and its
 * counters ({@code /metrics}: tokens evaluated and generated since it loaded, its own mean speeds, decode calls,
 * requests waiting for a slot).
 */
public record EngineMetrics(int slots, int busySlots, long promptTokens, double promptTokensPerSecond, long generatedTokens,
        double generatedTokensPerSecond, long decodeCalls, int deferredRequests, long largestSequenceTokens) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINE = Pattern.compile("^llamacpp:([a-z_]+)\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);

    /** Empty when the runner is not served by llama-server or does not answer. */
    static Optional<EngineMetrics> read(HttpClient http, LoadedRunner r) {
        try {
            String metrics = get(http, r, "/metrics");
            JsonNode slots = JSON.readTree(get(http, r, "/slots"));
            Map<String, Double> m = parse(metrics);
            int busy = 0;
            for (JsonNode s : slots) {
                busy += s.path("is_processing").asBoolean(false) ? 1 : 0;
            }
            return Optional.of(new EngineMetrics(slots.size(), busy, (long) (double) m.getOrDefault("prompt_tokens_total", 0.0),
                    m.getOrDefault("prompt_tokens_seconds", 0.0), (long) (double) m.getOrDefault("tokens_predicted_total", 0.0),
                    m.getOrDefault("predicted_tokens_seconds", 0.0), (long) (double) m.getOrDefault("n_decode_total", 0.0),
                    (int) (double) m.getOrDefault("requests_deferred", 0.0), (long) (double) m.getOrDefault("n_tokens_max", 0.0)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Map<String, Double> parse(String prometheus) {
        Map<String, Double> m = new HashMap<>();
        Matcher x = LINE.matcher(prometheus);
        while (x.find()) {
            m.put(x.group(1), Double.parseDouble(x.group(2)));
        }
        return m;
    }

    private static String get(HttpClient http, LoadedRunner r, String path) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + path))
                .header("Authorization", "Bearer " + r.token()).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IOException(path + " answered " + res.statusCode());
        }
        return res.body();
    }
}
