package dev.paddock.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.model.ModelName;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.PaddockProcess;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ./paddock pull processes: killed with -9, joined by a second pull, paused and resumed from a third. */
@Tag("e2e")
class PullProcessIT {
    @TempDir Path home;
    @TempDir Path files;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPullKilledHalfwayResumesWhereItStoppedAndTheResultIsByteIdentical() throws Exception {
        Path model = TestModels.write(LlamaModelSpec.small(), files, "m.gguf");
        long size = Files.size(model);
        try (FaultyFileServer server = new FaultyFileServer().serve("m.gguf", model).throttle(8_000_000)) {
            Process p = PaddockProcess.builder(home, Map.of(), "pull", server.url("m.gguf")).start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (server.bodyBytesSent() < size / 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);
            long sentBeforeKill = server.bodyBytesSent();

            JsonNode jobs = JSON.readTree(PaddockProcess.run(home, "pulls", "--json").out());
            assertThat(jobs).singleElement().satisfies(j -> {
                assertThat(j.get("state").asText()).isEqualTo("interrupted");
                assertThat(j.get("name").asText()).isEqualTo("m:latest");
            });

            server.throttle(0);
            PaddockProcess.Result resumed = PaddockProcess.run(home, "pull", server.url("m.gguf"));

            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(resumed.out()).startsWith("pulled m:latest");
            assertThat(resumed.err()).contains("resuming m:latest");
            long sentAfter = server.bodyBytesSent() - sentBeforeKill;
            assertThat(sentAfter).as("bytes fetched again after the kill").isLessThan(size - sentBeforeKill / 2 + (6L << 20));
            try (Stream<Path> blobs = Files.list(home.resolve("blobs"))) {
                assertThat(blobs.toList()).singleElement().satisfies(b -> assertThat(b).hasSameBinaryContentAs(model));
            }
        }
    }

    @Test
    void aSecondPullJoinsTheFirstAndAPauseFromAThirdStopsBoth() throws Exception {
        Path model = TestModels.write(LlamaModelSpec.small(), files, "m.gguf");
        // throttled per connection: 4 × 400 kB/s leaves the pull running for ~10 s, long enough to join and pause
        try (FaultyFileServer server = new FaultyFileServer().serve("m.gguf", model).throttle(400_000)) {
            Process first = PaddockProcess.builder(home, Map.of(), "pull", server.url("m.gguf")).start();
            while (server.bodyBytesSent() < (512 << 10)) {
                Thread.sleep(20);
            }
            Process second = PaddockProcess.builder(home, Map.of(), "pull", server.url("m.gguf")).start();
            Thread.sleep(1500);
            String job = PullService.jobId(ModelName.parse("m"));

            PaddockProcess.Result pause = PaddockProcess.run(home, "pull", "--pause", job);
            assertThat(pause.out()).contains("pausing " + job);
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String secondErr = new String(second.getErrorStream().readAllBytes());
            assertThat(first.exitValue()).isEqualTo(1);
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(secondErr).contains("following that transfer", "paused");
            assertThat(PaddockProcess.run(home, "pulls").out()).contains(job, "m:latest", "paused");

            server.throttle(0);
            PaddockProcess.Result resumed = PaddockProcess.run(home, "pull", "--resume", job);
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(PaddockProcess.run(home, "list", "--local").out()).contains("m:latest");
        }
    }

    @Test
    void cancellingAFailedPullRemovesItsBytes() throws Exception {
        Path model = TestModels.write(LlamaModelSpec.small(), files, "m.gguf");
        try (FaultyFileServer server = new FaultyFileServer().serve("m.gguf", model).throttle(4_000_000)) {
            Process p = PaddockProcess.builder(home, Map.of("PADDOCK_DOWNLOAD_RETRIES", "1", "PADDOCK_DOWNLOAD_PIECE_MB", "1"), "pull", server.url("m.gguf"))
                    .start();
            while (server.bodyBytesSent() < (2 << 20)) {
                Thread.sleep(20);
            }
            server.throttle(0).fail(503, 100_000); // from now on the server only fails
            PaddockProcess.Result failed = new PaddockProcess.Result(p.waitFor(), "",
                    new String(p.getErrorStream().readAllBytes()));
            assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
            assertThat(failed.err()).contains("error: the pull of " + server.url("m.gguf") + " failed", "to resume");
            String job = PullService.jobId(ModelName.parse("m"));
            assertThat(home.resolve("partial").resolve(job)).exists();

            PaddockProcess.Result cancel = PaddockProcess.run(home, "pull", "--cancel", job);

            assertThat(cancel.out()).contains("cancelled " + job);
            assertThat(home.resolve("partial").resolve(job)).doesNotExist();
        }
    }
}
