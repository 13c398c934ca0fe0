package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that change something answer --json too, with nothing but JSON on stdout. */
class JsonOutputTest {
    @TempDir Path home;
    @TempDir Path files;

    private static JsonNode json(CliRun r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void demoPullStopAndRmSpeakJson() throws Exception {
        JsonNode demo = json(CliRun.of(home, "demo", "--json"));
        assertThat(demo.path("created").asBoolean()).isTrue();
        assertThat(demo.at("/model/name").asText()).isEqualTo("paddock-demo:tiny");
        assertThat(json(CliRun.of(home, "demo", "--json")).path("created").asBoolean()).isFalse();

        try (FaultyFileServer server = new FaultyFileServer().serve("t.gguf", TestModels.tiny(files, "t.gguf"))) {
            JsonNode pulled = json(CliRun.of(home, "pull", server.url("t.gguf"), "--name", "t:one", "--json"));
            assertThat(pulled.at("/model/name").asText()).isEqualTo("t:one");
            assertThat(pulled.path("unchanged").asBoolean()).isFalse();
            assertThat(pulled.path("job").asText()).isNotBlank();
        }

        assertThat(json(CliRun.of(home, "stop", "--all", "--json")).path("stopped")).isEmpty();
        JsonNode removed = json(CliRun.of(home, "rm", "t:one", "paddock-demo:tiny", "--json"));
        assertThat(removed.path("removed")).extracting(JsonNode::asText).containsExactly("t:one", "paddock-demo:tiny");
        assertThat(removed.path("freedBytes").asLong()).isPositive();
    }
}
