package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitCommandTest {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    void fitShowsTheEstimateItsPartsAndTheVerdict() throws Exception {
        CliRun.of(home, "import", TestModels.tiny(files, "t.gguf").toString(), "--name", "tiny");

        CliRun text = CliRun.of(home, "fit", "tiny", "--ctx", "1024");
        JsonNode json = new ObjectMapper().readTree(CliRun.of(home, "fit", "tiny", "--json", "--kv-type", "q8_0").out());

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("weights", "KV cache", "compute", "runtime", "available", "fits on the CPU", "threads");
        assertThat(json.get("fits").asBoolean()).isTrue();
        assertThat(json.get("kvType").asText()).isEqualTo("q8_0");
        assertThat(json.get("largestContext").asInt()).isEqualTo(2048);
        assertThat(json.get("expectedBytes").asLong()).isBetween(100L << 20, 200L << 20);
        // a context past the one the model was trained on fits in memory, and is said to be past it
        CliRun beyond = CliRun.of(home, "fit", "tiny", "--ctx", "8192");
        assertThat(beyond.out()).contains("fits on the CPU; 8192 tokens is beyond the 2048 the model was trained on");
        CliRun negative = CliRun.of(home, "fit", "tiny", "--ctx", "-5");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("a context of -5 tokens cannot be loaded; give one from 16 to");
    }

    @Test
    void aModelOnlyACurrentEngineReadsIsMarkedInFitAndListWhileNoneIsInstalled() throws Exception {
        var qwen3 = dev.paddock.gguf.LlamaModelSpec.tiny().withArchitecture("qwen3").withName("q3");
        CliRun.of(home, "import", TestModels.write(qwen3, files, "q.gguf").toString(), "--name", "qwen3:tiny");
        CliRun.of(home, "import", TestModels.tiny(files, "t.gguf").toString(), "--name", "tiny");

        CliRun fit = CliRun.of(home, "fit", "qwen3:tiny");
        JsonNode json = new ObjectMapper().readTree(CliRun.of(home, "fit", "qwen3:tiny", "--json").out());
        JsonNode list = new ObjectMapper().readTree(CliRun.of(home, "list", "--local", "--json").out());
        CliRun table = CliRun.of(home, "list", "--local");

        assertThat(fit.exitCode()).isEqualTo(1);
        assertThat(fit.out()).contains("none installed can load it: qwen3 models need a newer llama.cpp than the embedded engine (b4916);"
                + " paddock engine install builds a current one", "does not run here until a current engine is installed");
        assertThat(json.get("runnable").asBoolean()).isFalse();
        // it would fit in memory, but no installed engine loads it: it is not called a fit
        assertThat(json.get("fits").asBoolean(true)).isFalse();
        assertThat(json.get("verdict").asText()).startsWith("does not run here until a current engine is installed (fits");
        assertThat(list.findValues("runnable")).extracting(JsonNode::asBoolean).containsExactlyInAnyOrder(false, true);
        java.util.Map<String, Boolean> fits = new java.util.HashMap<>();
        list.forEach(m -> fits.put(m.path("name").asText(), m.path("fits").asBoolean()));
        assertThat(fits).containsEntry("qwen3:tiny", false).containsEntry("tiny:latest", true);
        assertThat(table.out().lines().filter(l -> l.startsWith("qwen3:tiny"))).singleElement().asString().contains("needs engine");
        assertThat(CliRun.of(home, "fit", "tiny", "--json").out()).contains("\"engine\" : \"embedded llama.cpp b4916\"");
    }

    @Test
    void aVisionModelsProjectorIsCountedInItsMemory() throws Exception {
        Path projector = files.resolve("mmproj.gguf");
        dev.paddock.gguf.SyntheticProjector.write(projector, dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength(), 28, 1);
        CliRun.of(home, "import", TestModels.tiny(files, "t.gguf").toString(), "--name", "tiny");
        JsonNode without = new ObjectMapper().readTree(CliRun.of(home, "fit", "tiny", "--json").out());
        CliRun.of(home, "import", TestModels.tiny(files, "t.gguf").toString(), "--name", "tiny", "--mmproj", projector.toString());

        JsonNode with = new ObjectMapper().readTree(CliRun.of(home, "fit", "tiny", "--json").out());
        CliRun text = CliRun.of(home, "fit", "tiny");

        assertThat(with.path("estimate").path("projectorBytes").asLong()).isEqualTo(java.nio.file.Files.size(projector));
        assertThat(with.path("expectedBytes").asLong()).isEqualTo(without.path("expectedBytes").asLong() + java.nio.file.Files.size(projector));
        assertThat(text.out()).contains("projector", "vision projector");
    }

    @Test
    void anUnknownKvTypeIsAUserError() {
        CliRun.of(home, "import", TestModels.tiny(files, "t.gguf").toString(), "--name", "tiny");
        CliRun r = CliRun.of(home, "fit", "tiny", "--kv-type", "q3");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown KV cache type \"q3\"; use f16, q8_0 or q4_0");
    }

    @Test
    void aRegistryModelNotDownloadedGetsTheQuantizationThatFits() {
        CliRun r = CliRun.of(home, "fit", "llama3.2:3b");

        assertThat(r.exitCode()).as(r.err()).isIn(0, 1); // 1 only on a machine where not even Q4_K_M fits
        assertThat(r.out()).contains("is not downloaded", "Q4_K_M", "Q8_0", "F16").containsAnyOf("best fit: ", "none of its");
    }
}
