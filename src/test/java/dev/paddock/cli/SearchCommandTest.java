package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.FakeHub;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** search and pull against a Hugging Face Hub on 127.0.0.1 (HF_ENDPOINT), files served by a second host. */
class SearchCommandTest {
    @TempDir Path home;
    @TempDir Path dir;

    private Map<String, Path> quants() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("Tiny-Q8_0.gguf", TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.Q8_0), dir, "q8.gguf"));
        files.put("Tiny-F32.gguf", TestModels.write(LlamaModelSpec.tiny(), dir, "f32.gguf"));
        try { // a real split GGUF, as gguf-split writes them
            var parts = dev.paddock.gguf.GgufSplit.split(f16(), 2, dir, "Tiny-F16");
            files.put("sub/Tiny-F16-00001-of-00002.gguf", parts.get(0));
            files.put("sub/Tiny-F16-00002-of-00002.gguf", parts.get(1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files;
    }

    private Path f16() {
        Path f = dir.resolve("f16-whole.gguf");
        return Files.exists(f) ? f : TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.F16), dir, "f16-whole.gguf");
    }

    @Test
    void searchListsRepositoriesAndARepositoryItsQuantisationsWithTheBestThatFitsMarked() throws Exception {
        try (FakeHub hub = new FakeHub().repo("paddock/tiny-GGUF", "llama", 854_000, quants())) {
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint());
            CliRun search = CliRun.withEnv(home, env, "search", "tiny");
            CliRun repo = CliRun.withEnv(home, env, "search", "paddock/tiny-GGUF");
            CliRun json = CliRun.withEnv(home, env, "search", "paddock/tiny-GGUF", "--json");
            CliRun none = CliRun.withEnv(home, env, "search", "nothing-like-it");
            CliRun badLimit = CliRun.withEnv(home, env, "search", "tiny", "--limit", "0");

            assertThat(search.exitCode()).as(search.err()).isZero();
            assertThat(search.out()).contains("paddock/tiny-GGUF", "llama", "854K", "100K");
            assertThat(repo.exitCode()).as(repo.err()).isZero();
            assertThat(repo.out()).contains("paddock/tiny-GGUF: llama, 854K parameters", "Q8_0", "F32", "F16");
            String f16 = repo.out().lines().filter(l -> l.startsWith("F16")).findFirst().orElseThrow();
            assertThat(f16.split("\\s+")).contains("2", "(per", "part)"); // two parts, one choice
            String f32 = repo.out().lines().filter(l -> l.startsWith("F32")).findFirst().orElseThrow();
            assertThat(f32).contains("yes *", FakeHub.sha256(quants().get("Tiny-F32.gguf")).substring(0, 12));
            assertThat(repo.err()).contains("paddock pull hf://paddock/tiny-GGUF");
            var listing = new ObjectMapper().readTree(json.out());
            assertThat(listing.path("choices")).hasSize(3);
            assertThat(listing.path("facts").path("architecture").asText()).isEqualTo("llama");
            assertThat(none.exitCode()).isZero();
            assertThat(none.err()).contains("no GGUF repository");
            assertThat(badLimit.exitCode()).isEqualTo(2);
        }
    }

    @Test
    void pullOfARepositoryTakesTheQuantisationAskedOrTheBestThatFitsVerifiedByTheHubsSha256() throws Exception {
        Map<String, Path> files = quants();
        try (FakeHub hub = new FakeHub().repo("paddock/tiny-GGUF", "llama", 854_000, files)) {
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint());
            CliRun q8 = CliRun.withEnv(home, env, "pull", "hf://paddock/tiny-GGUF:Q8_0", "--name", "tiny:q8");
            CliRun best = CliRun.withEnv(home, env, "pull", "hf://paddock/tiny-GGUF", "--name", "tiny:best");
            CliRun split = CliRun.withEnv(home, env, "pull", "hf://paddock/tiny-GGUF:F16", "--name", "tiny:f16");

            assertThat(q8.exitCode()).as(q8.err()).isZero();
            assertThat(best.exitCode()).as(best.err()).isZero();
            String list = CliRun.of(home, "list", "--local").out();
            assertThat(list).contains("tiny:q8", "tiny:best");
            String show = CliRun.of(home, "show", "tiny:best", "--json").out();
            assertThat(new ObjectMapper().readTree(show).toString()).contains(FakeHub.sha256(files.get("Tiny-F32.gguf")));
            // a split GGUF: both parts fetched and verified, merged into the one model they were split from
            assertThat(split.exitCode()).as(split.err()).isZero();
            String merged = new ObjectMapper().readTree(CliRun.of(home, "show", "tiny:f16", "--json").out()).toString();
            assertThat(merged).contains(FakeHub.sha256(f16()));
            assertThat(CliRun.of(home, "pulls").out()).contains("tiny:f16 (part 1 of 2)", "tiny:f16 (part 2 of 2)");
            assertThat(home.resolve("partial")).isDirectoryNotContaining("glob:**/split-*");
        }
    }

    @Test
    void aPullOfAVisionRepositoryBringsTheProjectorClosestInBitsUnlessRefused() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("Tiny-Q8_0.gguf", TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.Q8_0), dir, "q8.gguf"));
        Path f16 = dir.resolve("mmproj-f16.gguf");
        Path q8 = dir.resolve("mmproj-q8.gguf");
        dev.paddock.gguf.SyntheticProjector.write(f16, LlamaModelSpec.tiny().embeddingLength(), 28, 1);
        dev.paddock.gguf.SyntheticProjector.write(q8, LlamaModelSpec.tiny().embeddingLength(), 28, 2);
        files.put("mmproj-Tiny-F16.gguf", f16);
        files.put("mmproj-Tiny-Q8_0.gguf", q8);
        try (FakeHub hub = new FakeHub().repo("paddock/tiny-vision-GGUF", "llama", 854_000, files)) {
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint());
            CliRun search = CliRun.withEnv(home, env, "search", "paddock/tiny-vision-GGUF");
            CliRun textOnly = CliRun.withEnv(home, env, "pull", "hf://paddock/tiny-vision-GGUF:Q8_0", "--name", "tiny:vision", "--no-mmproj");
            String before = CliRun.of(home, "show", "tiny:vision").out();
            CliRun vision = CliRun.withEnv(home, env, "pull", "hf://paddock/tiny-vision-GGUF:Q8_0", "--name", "tiny:vision", "--json");
            CliRun again = CliRun.withEnv(home, env, "pull", "hf://paddock/tiny-vision-GGUF:Q8_0", "--name", "tiny:vision");

            assertThat(search.exitCode()).as(search.err()).isZero();
            assertThat(search.out()).contains("vision: a pull brings the model's projector too", "mmproj-Tiny-Q8_0.gguf")
                    .doesNotContainPattern("(?m)^(F16|MMPROJ)"); // a projector is no choice of its own
            assertThat(textOnly.exitCode()).as(textOnly.err()).isZero();
            assertThat(before).contains("vision projector", "none (text only)");
            // the model was there already: only its projector is fetched, verified by the Hub's SHA-256, and added
            assertThat(vision.exitCode()).as(vision.err()).isZero();
            var model = new ObjectMapper().readTree(vision.out()).path("model");
            assertThat(model.path("projector").path("digest").asText()).isEqualTo("sha256:" + FakeHub.sha256(q8));
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("already installed");
            assertThat(home.resolve("partial")).isDirectoryNotContaining("glob:**/mmproj-*");
            assertThat(hub.requests()).noneMatch(r -> r.contains("mmproj-Tiny-F16.gguf") && r.startsWith("GET /paddock"));
        }
    }

    @Test
    void aFailedProjectorDownloadFailsThePullAndResumingItsJobResumesTheWholePull() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("Tiny-Q8_0.gguf", TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.Q8_0), dir, "q8.gguf"));
        Path projector = dir.resolve("mmproj.gguf");
        dev.paddock.gguf.SyntheticProjector.write(projector, LlamaModelSpec.tiny().embeddingLength(), 28, 1);
        files.put("mmproj-Tiny-F16.gguf", projector);
        try (FakeHub hub = new FakeHub().repo("paddock/tiny-vision-GGUF", "llama", 854_000, files)) {
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint());
            hub.cdn().fail(404, 2); // the header read for the fit, then the projector
            CliRun failed = CliRun.withEnv(home, env, "pull", "hf://paddock/tiny-vision-GGUF:Q8_0", "--name", "tiny:vision");
            String afterFailure = CliRun.of(home, "list", "--local").out();
            var jobs = new ObjectMapper().readTree(CliRun.of(home, "pulls", "--json").out());
            String projectorJob = null;
            for (var j : jobs) {
                if (j.path("name").asText().equals("tiny:vision (vision projector)")) {
                    projectorJob = j.path("id").asText();
                }
            }
            CliRun resumed = CliRun.withEnv(home, env, "pull", "--resume", String.valueOf(projectorJob));

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.err()).contains("mmproj-Tiny-F16.gguf");
            assertThat(afterFailure).as("no model without the projector it was pulled with").doesNotContain("tiny:vision");
            assertThat(projectorJob).as(jobs.toString()).isNotNull();
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            var shown = new ObjectMapper().readTree(CliRun.of(home, "show", "tiny:vision", "--json").out());
            assertThat(shown.toString()).contains("sha256:" + FakeHub.sha256(projector));
        }
    }

    @Test
    void aFileWhoseBytesDoNotMatchTheHubsSha256IsNotInstalled() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("Tiny-Q8_0.gguf", TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.Q8_0), dir, "q8.gguf"));
        try (FakeHub hub = new FakeHub().repo("paddock/tiny-GGUF", "llama", 854_000, files)) {
            hub.cdn().flipByteAt(Files.size(files.get("Tiny-Q8_0.gguf")) - 10);
            CliRun pull = CliRun.withEnv(home, Map.of("HF_ENDPOINT", hub.endpoint()), "pull", "hf://paddock/tiny-GGUF:Q8_0");

            assertThat(pull.exitCode()).isEqualTo(1);
            assertThat(pull.err()).contains("checksum mismatch", FakeHub.sha256(files.get("Tiny-Q8_0.gguf")).substring(0, 12));
            assertThat(CliRun.of(home, "list", "--local").out()).doesNotContain("tiny");
        }
    }
}
