package dev.paddock.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ollama.OllamaProvider;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local server speaking Ollama's documented API (api.md): NDJSON streams, nanosecond durations. */
class OllamaProviderTest {
    private FakeHttpServer server;
    private OllamaProvider ollama;

    @BeforeEach
    void start() throws Exception {
        server = new FakeHttpServer();
        ollama = new OllamaProvider("ollama", server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsModelsFromTags() {
        server.on("GET /api/tags", Answer.json(200, """
                {"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2025-05-04T17:37:44.706015396-07:00",
                "size":2019393189,"digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
                "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],
                "parameter_size":"3.2B","quantization_level":"Q4_K_M"}}]}"""));

        assertThat(ollama.listModels()).containsExactly(
                new ProviderModel("ollama", "llama3.2:latest", 2019393189L, 3_200_000_000L, "Q4_K_M", null, "llama"));
    }

    @Test
    void streamsAChatAndReadsOllamasOwnTimings() {
        server.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\"The\"},\"done\":false}\n",
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\" sky\"},\"done\":false}\n",
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T19:22:45.499127Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"done\":true,\"done_reason\":\"stop\",\"total_duration\":4883583458,\"load_duration\":1334875,"
                        + "\"prompt_eval_count\":26,\"prompt_eval_duration\":342546000,\"eval_count\":282,\"eval_duration\":4535599000}\n")));
        List<String> pieces = new ArrayList<>();

        ChatResult r = ollama.chat(new ChatRequest("llama3.2", List.of(ChatMessage.user("why is the sky blue?")), 64, 0.0, 7L,
                List.of(), "10m"), pieces::add);

        assertThat(pieces).containsExactly("The", " sky");
        assertThat(r.text()).isEqualTo("The sky");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.promptTokens()).isEqualTo(26);
        assertThat(r.completionTokens()).isEqualTo(282);
        assertThat(r.engineTimings().generatedTokensPerSecond()).isCloseTo(282 / 4.535599, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.engineTimings().loadMillis()).isCloseTo(1.334875, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.tokenArrivals()).hasSize(2);
        String sent = server.requests().getLast().body();
        assertThat(sent).contains("\"num_predict\":64", "\"seed\":7", "\"keep_alive\":\"10m\"", "\"stream\":true");
    }

    @Test
    void anErrorLineMidStreamBecomesTheMessage() {
        server.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                "{\"message\":{\"role\":\"assistant\",\"content\":\"x\"},\"done\":false}\n",
                "{\"error\":\"an error was encountered while running the model\"}\n")));

        assertThatThrownBy(() -> ollama.chat(ChatRequest.of("m", List.of(ChatMessage.user("hi"))), TokenListener.NONE))
                .hasMessageContaining("an error was encountered while running the model");
    }

    @Test
    void aMissingModelPassesOnOllamasOwnWords() {
        server.on("POST /api/chat", Answer.json(404, "{\"error\":\"model 'nope' not found, try pulling it first\"}"));

        assertThatThrownBy(() -> ollama.chat(ChatRequest.of("nope", List.of(ChatMessage.user("hi"))), TokenListener.NONE))
                .hasMessageContaining("answered 404: model 'nope' not found, try pulling it first")
                .hasMessageContaining(server.url());
    }

    @Test
    void listsLoadedModelsWithTheirMemory() {
        server.on("GET /api/ps", Answer.json(200, """
                {"models":[{"name":"mistral:latest","model":"mistral:latest","size":5137025024,
                "digest":"2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8",
                "details":{"format":"gguf","family":"llama","parameter_size":"7.2B","quantization_level":"Q4_0"},
                "expires_at":"2024-06-04T14:38:31.83753-07:00","size_vram":5137025024}]}"""));

        assertThat(ollama.loadedModels()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("mistral:latest");
            assertThat(m.memoryBytes()).isEqualTo(5137025024L);
            assertThat(m.gpuMemoryBytes()).isEqualTo(5137025024L);
            assertThat(m.expiresAt()).isEqualTo(java.time.Instant.parse("2024-06-04T21:38:31.837530Z"));
        });
    }

    @Test
    void pullsWithProgressAndDeletes() {
        server.on("POST /api/pull", Answer.stream("application/x-ndjson", List.of(
                "{\"status\":\"pulling manifest\"}\n",
                "{\"status\":\"pulling 6a0746a1ec1a\",\"digest\":\"sha256:6a0746a1ec1a\",\"total\":2142590208,\"completed\":241970}\n",
                "{\"status\":\"pulling 6a0746a1ec1a\",\"digest\":\"sha256:6a0746a1ec1a\",\"total\":2142590208,\"completed\":2142590208}\n",
                "{\"status\":\"verifying sha256 digest\"}\n", "{\"status\":\"writing manifest\"}\n", "{\"status\":\"success\"}\n")));
        server.on("DELETE /api/delete", Answer.json(200, ""));
        List<Long> completed = new ArrayList<>();

        ollama.pull("llama3.2", (status, done, total) -> completed.add(done));
        ollama.delete("llama3.2");

        assertThat(completed).contains(241970L, 2142590208L);
        assertThat(server.requests().getLast().method()).isEqualTo("DELETE");
        assertThat(server.requests().getLast().body()).contains("\"model\":\"llama3.2\"");
    }

    @Test
    void anUnreachableServerIsOneClearMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OllamaProvider gone = new OllamaProvider("ollama", "http://127.0.0.1:" + port);

        assertThatThrownBy(gone::listModels)
                .isInstanceOf(PaddockException.class)
                .hasMessageStartingWith("cannot reach Ollama (ollama) at http://127.0.0.1:" + port)
                .hasMessageEndingWith("is it running?")
                .extracting(e -> ((PaddockException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
