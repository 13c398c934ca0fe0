package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.app.Paddock;
import dev.paddock.compare.ComparisonRow;
import dev.paddock.compare.Comparisons;
import dev.paddock.config.PaddockConfig;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark of an Ollama model records the memory Ollama reports for it (/api/ps size and size_vram). */
class RemoteRunResourcesTest {
    @TempDir Path home;

    @Test
    void anOllamaRunRecordsWhatOllamaReportsAndTheComparisonShowsIt() throws Exception {
        try (FakeHttpServer ollama = new FakeHttpServer()) {
            ollama.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                    "{\"model\":\"mistral\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n",
                    "{\"model\":\"mistral\",\"message\":{\"role\":\"assistant\",\"content\":\" there\"},\"done\":false}\n",
                    "{\"model\":\"mistral\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"length\","
                            + "\"prompt_eval_count\":12,\"prompt_eval_duration\":40000000,\"eval_count\":2,\"eval_duration\":20000000}\n")));
            ollama.on("GET /api/ps", Answer.json(200, """
                    {"models":[{"name":"mistral:latest","model":"mistral:latest","size":5137025024,
                    "digest":"2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8",
                    "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"7.2B",
                    "quantization_level":"Q4_0"},"expires_at":"2024-06-04T14:38:31.83753-07:00","size_vram":4294967296}]}"""));
            Files.writeString(home.resolve("config.toml"), "[providers.ol]\nkind = \"ollama\"\nurl = \"" + ollama.url() + "\"\n");
            Map<String, String> env = Map.of("PADDOCK_HOME", home.toString(), "HOME", home.toString());
            Paddock paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, w -> {}, Clock.systemUTC(), true);

            BenchRun run = paddock.bench().run("ol/mistral", new BenchService.Settings(2, List.of(8), 2, null, null, 1, null, null),
                    line -> {});

            assertThat(run.status()).isEqualTo("complete");
            RunResources r = paddock.benchRuns().resources(run.id());
            assertThat(r.reportedBytes()).isEqualTo(5137025024L);
            assertThat(r.reportedVramBytes()).isEqualTo(4294967296L);
            assertThat(r.peakRssBytes()).as("no runner of ours: unknown").isNull();
            List<ComparisonRow> rows = paddock.comparisons().rows(List.of("ol/mistral"), new ArrayList<>());
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.peakRssBytes()).isEqualTo(5137025024L);
                assertThat(row.gpuMemoryBytes()).isEqualTo(4294967296L);
            });
        }
    }
}
