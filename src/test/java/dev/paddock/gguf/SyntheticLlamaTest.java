package dev.paddock.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticLlamaTest {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0"})
    void writesAModelWhoseFactsTheReaderRecovers(GgmlType type) throws IOException {
        LlamaModelSpec spec = LlamaModelSpec.tiny().withWeights(type);
        Path file = dir.resolve("m.gguf");
        SyntheticLlama.write(spec, file);

        GgufFile f = new GgufReader().read(file);
        GgufFacts facts = f.facts();

        assertThat(facts.architecture()).isEqualTo("llama");
        assertThat(facts.parameterCount()).isEqualTo(spec.parameterCount());
        assertThat(facts.quantization()).isEqualTo(type.name());
        assertThat(facts.contextLength()).isEqualTo(2048);
        assertThat(facts.blockCount()).isEqualTo(4);
        assertThat(facts.embeddingLength()).isEqualTo(128);
        assertThat(facts.headCount()).isEqualTo(4);
        assertThat(facts.headCountKv()).isEqualTo(2);
        assertThat(facts.keyLength()).isEqualTo(32);
        assertThat(facts.vocabSize()).isEqualTo(LlamaModelSpec.MIN_VOCAB);
        assertThat(facts.bosTokenId()).isEqualTo(1);
        assertThat(facts.eosTokenId()).isEqualTo(2);
        assertThat(facts.chatTemplate()).contains("<|im_start|>");
        assertThat(facts.bytesByType().get(type)).isPositive();
        assertThat(facts.bytesByType().keySet()).containsOnly(GgmlType.F32, type);
        assertThat(Files.size(file)).isEqualTo(GgufReader.alignUp(f.dataOffset() + f.tensorDataBytes(), f.alignment()));
    }

    @Test
    void q4kWeightsAreLlamaQuantizesQ4KMMixture() throws IOException {
        LlamaModelSpec spec = LlamaModelSpec.tiny().withLayers(256, 8, 512, 4, 2).withWeights(GgmlType.Q4_K);
        Path file = dir.resolve("q4km.gguf");
        SyntheticLlama.write(spec, file);

        GgufFile f = new GgufReader().read(file);
        java.util.Map<String, GgmlType> types = new java.util.HashMap<>();
        f.tensors().forEach(t -> types.put(t.name(), t.type()));

        assertThat(f.facts().quantization()).isEqualTo("Q4_K_M");
        assertThat(f.facts().parameterCount()).isEqualTo(spec.parameterCount());
        assertThat(types).containsEntry("token_embd.weight", GgmlType.Q4_K).containsEntry("output.weight", GgmlType.Q6_K)
                .containsEntry("blk.0.attn_q.weight", GgmlType.Q4_K).containsEntry("blk.0.ffn_gate.weight", GgmlType.Q4_K)
                .containsEntry("blk.0.attn_norm.weight", GgmlType.F32);
        // 8 layers: llama-quantize gives layers 0, 3, 6 and 7 more bits (first and last eighth, every third between)
        for (int layer = 0; layer < 8; layer++) {
            GgmlType expected = layer == 0 || layer == 3 || layer == 6 || layer == 7 ? GgmlType.Q6_K : GgmlType.Q4_K;
            assertThat(types.get("blk." + layer + ".attn_v.weight")).as("layer %d attn_v", layer).isEqualTo(expected);
            assertThat(types.get("blk." + layer + ".ffn_down.weight")).as("layer %d ffn_down", layer).isEqualTo(expected);
        }
        assertThat(Files.size(file)).isEqualTo(GgufReader.alignUp(f.dataOffset() + f.tensorDataBytes(), f.alignment()));
    }

    @Test
    void tiedQ4kEmbeddingsAreTheOutputAndGetItsQ6k() throws IOException {
        Path file = dir.resolve("tied.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny().withLayers(256, 2, 512, 4, 2).withWeights(GgmlType.Q4_K).withTiedEmbeddings(true), file);

        GgufFile f = new GgufReader().read(file);

        assertThat(f.tensors()).filteredOn(t -> t.name().equals("token_embd.weight")).singleElement()
                .extracting(TensorInfo::type).isEqualTo(GgmlType.Q6_K);
        assertThat(f.tensors()).extracting(TensorInfo::name).doesNotContain("output.weight");
    }

    @Test
    void q4kWeightsNeedLengthsOfWholeBlocks() {
        assertThatThrownBy(() -> LlamaModelSpec.tiny().withWeights(GgmlType.Q4_K))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiples of 256");
    }

    @Test
    void sameSpecSameBytesAndAnotherSeedOtherBytes() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny(), a);
        SyntheticLlama.write(LlamaModelSpec.tiny(), b);
        SyntheticLlama.write(LlamaModelSpec.tiny().withSeed(7), c);

        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
        assertThat(Files.mismatch(a, c)).isNotEqualTo(-1);
    }

    @Test
    void presetsSpanOneToAHundredAndFiftyMillionParameters() {
        assertThat(LlamaModelSpec.tiny().parameterCount()).isBetween(500_000L, 2_000_000L);
        assertThat(LlamaModelSpec.small().parameterCount()).isBetween(5_000_000L, 30_000_000L);
        assertThat(LlamaModelSpec.large().parameterCount()).isBetween(100_000_000L, 170_000_000L);
    }

    @Test
    void theVocabularyIsByteLevelWithDistinctTokens() throws IOException {
        Path file = dir.resolve("v.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny().withVocab(2000), file);

        GgufFile f = new GgufReader(Integer.MAX_VALUE).read(file);
        List<Object> tokens = f.array("tokenizer.ggml.tokens").orElseThrow().elements().stream()
                .map(GgufValue::plain).toList();

        assertThat(tokens).hasSize(2000).doesNotHaveDuplicates();
        assertThat(tokens.get(3)).isEqualTo("<0x00>");
        assertThat(tokens.get(258)).isEqualTo("<0xFF>");
        assertThat(f.facts().vocabSize()).isEqualTo(2000);
    }

    @Test
    void quantizationFallsBackToTheDominantMatrixTypeWithoutAFileType() throws IOException {
        Path file = dir.resolve("q.gguf");
        var noop = (GgufWriter.TensorFill) (buf, first, count) -> buf.position(buf.position()
                + (int) GgmlType.Q4_K.bytesFor(count));
        new GgufWriter().write(file, java.util.Map.of("general.architecture", GgufValue.string("llama")), List.of(
                new GgufWriter.Tensor("a.weight", List.of(256L, 8L), GgmlType.Q4_K, noop),
                new GgufWriter.Tensor("norm.weight", List.of(256L), GgmlType.Q4_K, noop)));

        assertThat(new GgufReader().read(file).facts().quantization()).isEqualTo("Q4_K");
    }
}
