package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.serving.RequestRecord;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark plan cancelled through the API while a real runner generates: it stops and keeps what it measured. */
@Tag("e2e")
class BenchCancelIT {
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
    void aCancelledPlanStopsKeepsItsRepetitionsAndIsNoModelsLatestRun() throws Exception {
        s = ServerFixture.start(home);
        var imported = s.post("/api/models/import", "{\"path\": \"" + TestModels.tiny(files, "a.gguf") + "\", \"name\": \"a:f32\"}");
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        // long enough that it cannot end on its own while the test looks: 100 repetitions of 1,500 tokens
        var started = s.post("/api/benchmarks", "{\"models\": [\"a:f32\"], \"reps\": 100, \"promptTokens\": [16], \"genTokens\": 1500}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String job = started.json().get("id").asText();
        JsonNode end;
        try (ServerFixture.EventStream events = s.stream("/api/benchmarks/jobs/" + job + "/events")) {
            events.until(e -> "progress".equals(e.get("event")) && e.get("data").contains("repetition 1/100"));

            var cancel = s.post("/api/benchmarks/jobs/" + job + "/cancel", "");
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
            end = ServerFixture.JSON.readTree(events.until(e -> "end".equals(e.get("event"))).get("data"));
        }

        assertThat(end.at("/data/state").asText()).isEqualTo("cancelled");
        assertThat(s.post("/api/benchmarks/jobs/" + job + "/cancel", "").status()).as("it is over").isEqualTo(409);
        JsonNode runs = s.get("/api/benchmarks/runs?model=a:f32").json();
        assertThat(runs).singleElement().satisfies(r -> assertThat(r.get("status").asText()).isEqualTo("cancelled"));
        JsonNode run = s.get("/api/benchmarks/runs/" + runs.get(0).get("id").asText()).json();
        assertThat(run.get("samples").size()).isBetween(1, 99);
        assertThat(s.paddock.benchRuns().latestSpeedRun("a:f32")).as("a cancelled run stands for nothing").isEmpty();
        // a cancel that lands mid-request is logged as cancelled (AutoChoiceTest); none is ever the runner's error
        assertThat(s.paddock.requestLog().since(Instant.EPOCH, null)).extracting(RequestRecord::outcome)
                .doesNotContain(RequestRecord.ERROR);
    }
}
