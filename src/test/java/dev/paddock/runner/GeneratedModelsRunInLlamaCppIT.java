package dev.paddock.runner;

import static org.assertj.core.api.Assertions.assertThat;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's models are real models: the embedded llama.cpp loads them, tokenizes text into byte
 * tokens and generates, the same output for the same seed. (Each load leaks native memory, so these
 * run in the test JVM only a few times; the runner will give each model its own process.)
 */
@Tag("e2e")
class GeneratedModelsRunInLlamaCppIT {
    @TempDir static Path dir;

    @BeforeAll
    static void nativeLibraryInsideTheTestFolder() throws Exception {
        Path lib = Path.of("target/llama-native").toAbsolutePath();
        Files.createDirectories(lib);
        System.setProperty("de.kherud.llama.tmpdir", lib.toString());
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_K"})
    void loadsTokenizesAndGeneratesDeterministically(GgmlType type) {
        LlamaModelSpec tiny = LlamaModelSpec.tiny();
        // Q4_K_M's blocks are 256 values long
        LlamaModelSpec spec = (type == GgmlType.Q4_K ? tiny.withLayers(256, 4, 512, 4, 2) : tiny).withWeights(type).withVocab(1000);
        Path file = TestModels.write(spec, dir, "m-" + type + ".gguf");
        ModelParameters params = new ModelParameters().setModel(file.toString()).setThreads(2).setCtxSize(256)
                .setGpuLayers(0);
        try (LlamaModel model = new LlamaModel(params)) {
            int[] tokens = model.encode("Hi");
            // 'H' and 'i' as written (no "▁" space prefix: the vocabulary has none): byte tokens are the byte value + 3 special tokens
            assertThat(tokens).containsSubsequence('H' + 3, 'i' + 3).doesNotContain(0xE2 + 3);

            // Without the prompt cache each request computes the same way; with it the second request would
            // reuse the first one's KV cache, and random weights leave logits close enough for that to matter.
            InferenceParameters infer = new InferenceParameters("Hello").setNPredict(12).setTemperature(0f).setSeed(1)
                    .setCachePrompt(false);
            String first = model.complete(infer);
            String second = model.complete(infer);

            assertThat(first.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
            assertThat(second).isEqualTo(first);
        }
    }
}
