package dev.paddock.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.PaddockProcess;
import dev.paddock.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a real import at many moments never leaves a manifest pointing at a missing or partial blob. */
@Tag("e2e")
class ImportCrashIT {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    void anImportKilledAtAnyMomentLeavesAConsistentStoreAndCanBeRerun() throws Exception {
        Path file = TestModels.write(LlamaModelSpec.large(), files, "big.gguf"); // ~300 MB: the copy takes a while
        String hex = ModelStoreTest.sha256(file);
        int killedMidCopy = 0;
        for (long delay = 100; delay <= 2500; delay += 150) {
            Process p = PaddockProcess.builder(home, Map.of(), "import", file.toString(), "--name", "big").start();
            Thread.sleep(delay);
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
            assertConsistent(hex);
            if (!files(home.resolve("tmp")).isEmpty()) {
                killedMidCopy++;
                PaddockProcess.run(home, "list", "--local");
                assertThat(files(home.resolve("tmp"))).as("the next command collects what a killed import left").isEmpty();
            }
        }
        assertThat(killedMidCopy).as("some kills must land while the file is being copied").isPositive();

        PaddockProcess.Result rerun = PaddockProcess.run(home, "import", file.toString(), "--name", "big");
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertConsistent(hex);
        PaddockProcess.run(home, "list"); // collects nothing, but must not fail either
        JsonNode list = new ObjectMapper().readTree(PaddockProcess.run(home, "list", "--json").out());
        assertThat(list.findValuesAsText("digest")).containsExactly("sha256:" + hex);

        PaddockProcess.run(home, "rm", "big");
        assertThat(files(home.resolve("tmp"))).as("leftovers of killed imports are collected").isEmpty();
        assertThat(files(home.resolve("blobs"))).isEmpty();
    }

    @Test
    void twoProcessesImportingTheSameFileEndWithOneBlobAndOneManifest() throws Exception {
        Path file = TestModels.write(LlamaModelSpec.small(), files, "s.gguf");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(PaddockProcess.builder(home, Map.of(), "import", file.toString(), "--name", "same")
                    .redirectErrorStream(true).start());
        }
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
        }
        assertThat(files(home.resolve("blobs"))).hasSize(1);
        assertThat(files(home.resolve("manifests/same"))).containsExactly(home.resolve("manifests/same/latest"));
    }

    /** Every manifest names a blob that exists and whose bytes hash to its name. */
    private void assertConsistent(String expectedHex) throws Exception {
        for (Path manifest : files(home.resolve("manifests/big"))) {
            if (manifest.getFileName().toString().startsWith(".")) {
                continue; // a temp file of an interrupted manifest write: never read as a manifest
            }
            JsonNode m = new ObjectMapper().readTree(manifest.toFile());
            String digest = m.get("digest").asText();
            assertThat(digest).isEqualTo("sha256:" + expectedHex);
            Path blob = home.resolve("blobs/sha256-" + expectedHex);
            assertThat(blob).exists();
            assertThat(ModelStoreTest.sha256(blob)).isEqualTo(expectedHex);
        }
        for (Path blob : files(home.resolve("blobs"))) {
            assertThat(blob.getFileName().toString()).isEqualTo("sha256-" + expectedHex);
            assertThat(Files.size(blob)).isEqualTo(Files.size(files.resolve("big.gguf")));
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
