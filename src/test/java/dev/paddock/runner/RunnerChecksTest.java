package dev.paddock.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.model.ModelName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerChecksTest {
    @TempDir Path dir;

    private static GgufFacts facts(String arch, GgmlType type) {
        return new GgufFacts(arch, "m", 1_000_000, "F16", 8192L, 32L, 4096L, 14336L, 32L, 8L, 128L, 128L, 128256L, 1L, 2L,
                null, Map.of(type, 1000L), 1000, 1000, null, null, 0);
    }

    @Test
    void aModelLargerThanTheAvailableMemoryIsRefusedWithTheNumbers() {
        assertThatThrownBy(() -> MemoryCheck.require(ModelName.parse("huge"), facts("llama", GgmlType.F16), 8192, 512L << 20))
                .hasMessageStartingWith("huge:latest needs about ")
                .hasMessageContaining("KV cache 1024 MiB at context 8192")
                .hasMessageContaining("only 512 MiB are available; use a smaller context or a smaller quantization");
    }

    @Test
    void theEmbeddedEngineRefusesUnknownArchitecturesAndTypesButTakesKnownOnes() {
        EmbeddedEngine.check("ok", facts("llama", GgmlType.Q4_K));
        EmbeddedEngine.check("ok", facts("gemma3", GgmlType.IQ4_XS));
        assertThatThrownBy(() -> EmbeddedEngine.check("x", facts("qwen3", GgmlType.Q4_K)))
                .hasMessage("qwen3 models need a newer llama.cpp than the embedded engine (b4916); "
                        + "paddock engine install builds a current one");
        assertThatThrownBy(() -> EmbeddedEngine.check("gpt-oss:20b", facts("llama", GgmlType.MXFP4)))
                .hasMessageContaining("gpt-oss:20b uses MXFP4 tensors, which need a newer llama.cpp");
        assertThatThrownBy(() -> EmbeddedEngine.check("anon", facts(null, GgmlType.F32)))
                .hasMessageContaining("has no general.architecture");
    }

    @Test
    void aProjectorMadeForAnotherModelIsNamedFromThisRunsLogLinesOnlyWithoutQuotingThem() throws IOException {
        Path log = dir.resolve("runner.log");
        Files.writeString(log, "E mtmd_init_from_file: error: mismatch between text model (n_embd = 4096) and mmproj (n_embd = 2048)\n");
        long before = Files.size(log);
        assertThat(LlamaServerChild.projectorFailure(log, 0)).contains("embedding length 2048", "this one's is 4096", "--mmproj FILE --force");
        assertThat(LlamaServerChild.projectorFailure(log, before)).as("an earlier run's line is not this run's reason").isEmpty();
        Files.writeString(log, "E srv load_model: failed to load multimodal model, '/home/x/\u001b[31mevil'\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(LlamaServerChild.projectorFailure(log, before)).contains("could not load the model's vision projector")
                .doesNotContain("evil", "/home/x");
    }

    @Test
    void memoryIsReadFromProcStatus() throws IOException {
        Path status = Files.writeString(dir.resolve("status"), """
                Name:\tjava
                VmPeak:\t 4623120 kB
                VmSize:\t 4557584 kB
                VmHWM:\t  312456 kB
                VmRSS:\t  298112 kB
                Threads:\t26
                """);

        assertThat(ProcessMemory.parse(status)).contains(new ProcessMemory(298112L * 1024, 312456L * 1024));
        assertThat(ProcessMemory.parse(dir.resolve("missing"))).isEmpty();
        assertThat(ProcessMemory.of(ProcessHandle.current().pid()).orElseThrow().residentBytes()).isPositive();
    }

    @Test
    void theEnginesTimingLinesArePickedFromItsLog() {
        NativeLog log = NativeLog.detached();
        log.accept("slot print_timing: id  0 | task 0 | ");
        log.accept("prompt eval time =       3.04 ms /    17 tokens (    0.18 ms per token,  5590.27 tokens per second)");
        log.accept("       eval time =      18.59 ms /    16 tokens (    1.16 ms per token,   860.49 tokens per second)");
        log.accept("      total time =      21.64 ms /    33 tokens");

        assertThat(log.awaitTimings(10)).isEqualTo(new NativeLog.Timings(17, 3.04, 16, 18.59));
        assertThat(log.awaitTimings(10)).isNull();
    }
}
