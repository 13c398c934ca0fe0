package dev.paddock.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Proves an engine works on this machine before it can become the default: starts its llama-server on a
 * generated model, waits for {@code /health}, reads {@code /props}, and generates a few tokens through
 * {@code /completion}. The server's output goes to {@code smoke-test.log} beside the engine.
 */
final class SmokeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private SmokeTest() {}

    static Engine.SmokeResult run(Path server, Path scratch, Path log, Clock clock) {
        String at = clock.instant().toString();
        Process p = null;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            Files.createDirectories(scratch);
            Path model = scratch.resolve("smoke-test.gguf");
            SyntheticLlama.write(LlamaModelSpec.tiny().withName("paddock-smoke-test"), model);
            int port = dev.paddock.runner.LlamaServerStartup.freePort();
            p = new ProcessBuilder(List.of(server.toString(), "-m", model.toString(), "--host", "127.0.0.1", "--port",
                    String.valueOf(port), "-c", "256", "-t", "2", "-np", "1", "--no-webui"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            URI base = URI.create("http://127.0.0.1:" + port);
            var waited = dev.paddock.runner.LlamaServerStartup.awaitHealthy(p, port, START_TIMEOUT);
            if (waited.isPresent()) {
                return new Engine.SmokeResult(false, waited.get().replace("the model", "a generated model")
                        + (p.isAlive() ? "" : " (see smoke-test.log)"), at, null);
            }
            JsonNode props = get(http, base.resolve("/props"));
            if (props == null || !props.has("default_generation_settings")) {
                return new Engine.SmokeResult(false, "GET /props did not answer with the server's properties", at, null);
            }
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(base.resolve("/completion")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Hello\",\"n_predict\":8,\"cache_prompt\":false,\"seed\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode done = res.statusCode() == 200 ? JSON.readTree(res.body()) : null;
            int predicted = done == null ? 0 : done.path("tokens_predicted").asInt(0);
            if (predicted < 1) {
                return new Engine.SmokeResult(false, "POST /completion generated no tokens (HTTP " + res.statusCode() + ")", at, null);
            }
            double tps = done.path("timings").path("predicted_per_second").asDouble(0);
            return new Engine.SmokeResult(true, "loaded a generated model, /health and /props answered, generated " + predicted
                    + " tokens", at, tps > 0 ? tps : null);
        } catch (IOException e) {
            return new Engine.SmokeResult(false, "could not run llama-server: " + e.getMessage(), at, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Engine.SmokeResult(false, "interrupted", at, null);
        } finally {
            if (p != null) {
                ChildProcess.destroyTree(p);
            }
            http.shutdownNow();
        }
    }

    private static JsonNode get(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }
}
