package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.FakeHub;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hub's search and a repository's quantisations through the API, against a Hub on 127.0.0.1. */
class HubRoutesTest {
    @TempDir Path home;
    @TempDir Path files;
    private ServerFixture s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    @Test
    void searchAndARepositorysQuantisationsWithTheirFitAndBadQueriesAre400s() throws Exception {
        Map<String, Path> quants = new LinkedHashMap<>();
        quants.put("Tiny-Q8_0.gguf", TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.Q8_0), files, "q8.gguf"));
        quants.put("Tiny-F32.gguf", TestModels.write(LlamaModelSpec.tiny(), files, "f32.gguf"));
        try (FakeHub hub = new FakeHub().repo("paddock/tiny-GGUF", "llama", 854_000, quants)) {
            s = new ServerFixture(home, ServerSettings.loopback(0), Map.of("HF_ENDPOINT", hub.endpoint()));

            JsonNode found = s.get("/api/hub/search?q=tiny").json();
            JsonNode repo = s.get("/api/hub/repo?repo=paddock/tiny-GGUF&context=512").json();

            assertThat(found).singleElement().satisfies(r -> assertThat(r.get("id").asText()).isEqualTo("paddock/tiny-GGUF"));
            assertThat(repo.get("choices")).hasSize(2);
            assertThat(repo.at("/choices/1/quant").asText()).isEqualTo("F32");
            assertThat(repo.at("/choices/1/best").asBoolean()).isTrue();
            assertThat(repo.at("/choices/1/fit/estimate/context").asInt()).isEqualTo(512);
            assertThat(repo.at("/choices/0/parts/0/sha256").asText()).isEqualTo(FakeHub.sha256(quants.get("Tiny-Q8_0.gguf")));
            assertThat(s.get("/api/hub/search").status()).isEqualTo(400);
            assertThat(s.get("/api/hub/search?q=x&limit=500").status()).isEqualTo(400);
            assertThat(s.get("/api/hub/repo?repo=../etc").status()).isEqualTo(400);
            var missing = s.get("/api/hub/repo?repo=nobody/nothing");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().at("/error/message").asText()).contains("the Hub has no nobody/nothing");
        }
    }
}
