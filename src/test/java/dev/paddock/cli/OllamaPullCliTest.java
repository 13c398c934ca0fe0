package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** paddock pull PROVIDER/NAME through a configured Ollama, its progress drawn with Paddock's bar. */
class OllamaPullCliTest {
    @TempDir Path home;

    @Test
    void pullsThroughAConfiguredOllamaAndListsItsModels() throws Exception {
        try (FakeHttpServer ollama = new FakeHttpServer()) {
            ollama.on("POST /api/pull", Answer.stream("application/x-ndjson", List.of(
                    "{\"status\":\"pulling manifest\"}\n",
                    "{\"status\":\"pulling 6a0746a1ec1a\",\"digest\":\"sha256:6a07\",\"total\":1000,\"completed\":500}\n",
                    "{\"status\":\"pulling 6a0746a1ec1a\",\"digest\":\"sha256:6a07\",\"total\":1000,\"completed\":1000}\n",
                    "{\"status\":\"success\"}\n")));
            ollama.on("GET /api/tags", Answer.json(200, "{\"models\":[{\"name\":\"llama3.2:latest\",\"size\":2019393189,"
                    + "\"details\":{\"family\":\"llama\",\"parameter_size\":\"3.2B\",\"quantization_level\":\"Q4_K_M\"}}]}"));
            Files.writeString(home.resolve("config.toml"), "[providers.lab]\nkind = \"ollama\"\nurl = \"" + ollama.url() + "\"\n");

            CliRun pull = CliRun.of(home, "pull", "lab/llama3.2");
            CliRun list = CliRun.of(home, "list");

            assertThat(pull.exitCode()).as(pull.err()).isZero();
            assertThat(pull.out()).contains("pulled llama3.2 into lab");
            assertThat(pull.err()).contains("pulling manifest");
            assertThat(ollama.requests()).anySatisfy(r -> assertThat(r.body()).contains("\"model\":\"llama3.2\""));
            assertThat(list.out()).contains("lab/llama3.2:latest", "lab", "3.2B", "Q4_K_M");
        }
    }
}
