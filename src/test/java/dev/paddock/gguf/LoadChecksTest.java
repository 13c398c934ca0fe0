package dev.paddock.gguf;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.ErrorCode;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated models with one hostile value each, written and read back as files, refused in one line. */
class LoadChecksTest {
    @TempDir Path dir;

    private GgufFile tinyWith(Consumer<Map<String, GgufValue>> change) throws Exception {
        LlamaModelSpec spec = LlamaModelSpec.tiny();
        Map<String, GgufValue> m = SyntheticLlama.metadata(spec);
        change.accept(m);
        Path file = dir.resolve("m" + System.nanoTime() + ".gguf");
        new GgufWriter().write(file, m, SyntheticLlama.tensors(spec));
        return new GgufReader().read(file);
    }

    private void refused(Consumer<Map<String, GgufValue>> change, String message) throws Exception {
        GgufFile f = tinyWith(change);
        assertThatThrownBy(() -> LoadChecks.require(f, "bad:one"))
                .isInstanceOfSatisfying(GgufFormatException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageStartingWith("refusing to load bad:one: its metadata key " + message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSoundModelPasses() throws Exception {
        GgufFile f = tinyWith(m -> {});
        assertThatCode(() -> LoadChecks.require(f, "ok")).doesNotThrowAnyException();
    }

    @Test
    void zeroAndAbsurdSizesAreRefused() throws Exception {
        refused(m -> m.put("llama.context_length", GgufValue.uint32(0)), "llama.context_length is 0; it must be from 1 to");
        refused(m -> m.put("llama.block_count", GgufValue.uint32(0)), "llama.block_count is 0");
        refused(m -> m.put("llama.attention.head_count", GgufValue.uint32(0)), "llama.attention.head_count is 0");
        refused(m -> m.put("llama.attention.head_count_kv", GgufValue.uint32(64)), "llama.attention.head_count_kv is 64; it must be from 1 to");
        refused(m -> m.put("llama.context_length", GgufValue.uint32(0xffffffffL)), "llama.context_length is 4294967295");
    }

    @Test
    void nanInfinityAndNonPositiveEpsilonsAreRefused() throws Exception {
        refused(m -> m.put("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(Float.NaN)),
                "llama.attention.layer_norm_rms_epsilon is NaN; it must be a finite number");
        refused(m -> m.put("llama.rope.freq_base", GgufValue.float32(Float.POSITIVE_INFINITY)), "llama.rope.freq_base is Infinity");
        refused(m -> m.put("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(0)),
                "llama.attention.layer_norm_rms_epsilon is 0.0; a norm epsilon must be above 0");
    }

    @Test
    void aTemplateWithAGiantIdentifierIsRefused() throws Exception {
        String giant = "{{ " + "a".repeat(4096) + " }}";
        refused(m -> m.put("tokenizer.chat_template", GgufValue.string(giant)),
                "tokenizer.chat_template has a 4096-character identifier; identifiers have at most 256");
        String longText = "x".repeat(4096) + "{{ messages[0]['content'] }}"; // long literal text is harmless
        GgufFile f = tinyWith(m -> m.put("tokenizer.chat_template", GgufValue.string(longText)));
        assertThatCode(() -> LoadChecks.require(f, "ok")).doesNotThrowAnyException();
    }
}
