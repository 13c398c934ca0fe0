package dev.paddock.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufReaderTest {
    @TempDir Path dir;

    private final GgufReader reader = new GgufReader(Integer.MAX_VALUE);

    private static Map<String, GgufValue> everyValueType() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("t.u8", new GgufValue.Int(GgufValueType.UINT8, 250));
        m.put("t.i8", new GgufValue.Int(GgufValueType.INT8, -5));
        m.put("t.u16", new GgufValue.Int(GgufValueType.UINT16, 65_000));
        m.put("t.i16", new GgufValue.Int(GgufValueType.INT16, -30_000));
        m.put("t.u32", new GgufValue.Int(GgufValueType.UINT32, 4_000_000_000L));
        m.put("t.i32", new GgufValue.Int(GgufValueType.INT32, -2_000_000_000));
        m.put("t.u64", new GgufValue.Int(GgufValueType.UINT64, 1L << 60));
        m.put("t.i64", new GgufValue.Int(GgufValueType.INT64, -(1L << 60)));
        m.put("t.f32", new GgufValue.Float(GgufValueType.FLOAT32, 0.5));
        m.put("t.f64", new GgufValue.Float(GgufValueType.FLOAT64, Math.PI));
        m.put("t.bool", new GgufValue.Bool(true));
        m.put("t.str", new GgufValue.Str("héllo ✓"));
        m.put("t.arr", GgufValue.Array.of(GgufValueType.INT32,
                List.of(new GgufValue.Int(GgufValueType.INT32, 1), new GgufValue.Int(GgufValueType.INT32, -2))));
        m.put("t.strs", GgufValue.Array.of(GgufValueType.STRING, List.of(new GgufValue.Str("a"), new GgufValue.Str(""))));
        m.put("t.nested", GgufValue.Array.of(GgufValueType.ARRAY, List.of(
                GgufValue.Array.of(GgufValueType.UINT8, List.of(new GgufValue.Int(GgufValueType.UINT8, 7))),
                GgufValue.Array.of(GgufValueType.STRING, List.of(new GgufValue.Str("x"), new GgufValue.Str("y"))))));
        m.put("t.empty", GgufValue.Array.of(GgufValueType.FLOAT32, List.of()));
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void readsEveryValueTypeInVersionsTwoAndThree(int version) throws IOException {
        Path file = dir.resolve("all.gguf");
        List<GgufWriter.Tensor> tensors = List.of(new GgufWriter.Tensor("w", List.of(32L, 2L), GgmlType.F16,
                (buf, first, count) -> buf.position(buf.position() + (int) count * 2)));
        new GgufWriter(version, 32).write(file, everyValueType(), tensors);

        GgufFile f = reader.read(file);

        assertThat(f.version()).isEqualTo(version);
        assertThat(f.metadata()).isEqualTo(everyValueType());
        assertThat(f.tensors()).containsExactly(new TensorInfo("w", List.of(32L, 2L), GgmlType.F16, 0));
        assertThat(f.dataOffset() % 32).isZero();
        assertThat(f.fileSize()).isEqualTo(f.dataOffset() + 128);
    }

    @Test
    void keepsOnlyTheFirstElementsOfLongArraysButCountsThemAll() throws IOException {
        Path file = dir.resolve("small.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny().withVocab(5000), file);

        GgufFile f = new GgufReader(16).read(file);

        GgufValue.Array tokens = f.array("tokenizer.ggml.tokens").orElseThrow();
        assertThat(tokens.count()).isEqualTo(5000);
        assertThat(tokens.elements()).hasSize(16);
        assertThat(tokens.complete()).isFalse();
        assertThat(tokens.elements().get(1)).isEqualTo(new GgufValue.Str("<s>"));
        assertThat(f.array("tokenizer.ggml.scores").orElseThrow().count()).isEqualTo(5000);
        assertThat(f.facts().vocabSize()).isEqualTo(5000);
    }

    @Test
    void readsNoMoreThanTheHeaderPlusOneBuffer() throws IOException {
        Path file = dir.resolve("big-vocab.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny().withVocab(32_000).withTiedEmbeddings(true), file);

        GgufFile f = new GgufReader().read(file);

        assertThat(f.fileSize()).isGreaterThan(f.dataOffset() + 2L * GgufInput.BUFFER_BYTES);
        assertThat(f.bytesRead()).isLessThanOrEqualTo(f.dataOffset() + GgufInput.BUFFER_BYTES);
    }

    @Test
    void refusesAFileThatIsNotGgufNamingItsFirstBytes() throws IOException {
        Path zip = dir.resolve("x.bin");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});

        assertThatThrownBy(() -> reader.read(zip))
                .isInstanceOf(GgufFormatException.class)
                .hasMessage("not a GGUF file: " + zip + " (it is a ZIP archive, such as a PyTorch checkpoint; Paddock needs a .gguf file)");
    }

    @Test
    void refusesEmptyAndTinyFiles() throws IOException {
        Path empty = Files.write(dir.resolve("empty.gguf"), new byte[0]);
        Path tiny = Files.write(dir.resolve("tiny.gguf"), new byte[] {'G', 'G'});

        assertThatThrownBy(() -> reader.read(empty)).hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> reader.read(tiny)).hasMessageContaining("the file is only 2 bytes");
    }

    @Test
    void refusesUnsupportedVersions() throws IOException {
        Path v99 = RawGguf.header(99, 0, 0).writeTo(dir, "v99.gguf");
        Path v1 = RawGguf.header(1, 0, 0).writeTo(dir, "v1.gguf");
        Path bigEndian = RawGguf.header(Integer.reverseBytes(3), 0, 0).writeTo(dir, "be.gguf");

        assertThatThrownBy(() -> reader.read(v99)).hasMessageStartingWith("unsupported GGUF version 99");
        assertThatThrownBy(() -> reader.read(v1)).hasMessageStartingWith("unsupported GGUF version 1");
        assertThatThrownBy(() -> reader.read(bigEndian)).hasMessageContaining("big-endian");
    }

    @Test
    void refusesAStringLengthBeyondTheFile() throws IOException {
        Path file = RawGguf.header(3, 0, 1).u64(4_611_686_018_427_387_904L).zeros(16).writeTo(dir, "s.gguf");

        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessage("corrupt GGUF: metadata key length 4611686018427387904 exceeds file size");
    }

    @Test
    void refusesAMetadataStringValueLengthBeyondTheFile() throws IOException {
        Path file = RawGguf.header(3, 0, 1).string("k").u32(8).u64(4_611_686_018_427_387_904L).writeTo(dir, "v.gguf");

        assertThatThrownBy(() -> reader.read(file))
                .hasMessage("corrupt GGUF: metadata string length 4611686018427387904 exceeds file size");
    }

    @Test
    void refusesHugeCountsBeforeAllocatingAnything() throws IOException {
        Path tensors = RawGguf.header(3, Long.MAX_VALUE, 0).writeTo(dir, "t.gguf");
        Path kvs = RawGguf.header(3, 0, -1).writeTo(dir, "kv.gguf");
        Path array = RawGguf.header(3, 0, 1).string("a").u32(9).u32(0).u64(1L << 40).zeros(64).writeTo(dir, "a.gguf");
        Path stringArray = RawGguf.header(3, 0, 1).string("a").u32(9).u32(8).u64(1000).zeros(64).writeTo(dir, "sa.gguf");

        assertThatThrownBy(() -> reader.read(tensors)).hasMessageContaining("tensor count").hasMessageContaining("exceeds");
        assertThatThrownBy(() -> reader.read(kvs)).hasMessageContaining("metadata count 18446744073709551615 exceeds");
        assertThatThrownBy(() -> reader.read(array)).hasMessage("corrupt GGUF: metadata array length 1099511627776 exceeds file size");
        assertThatThrownBy(() -> reader.read(stringArray)).hasMessageContaining("metadata array length 1000 exceeds");
    }

    @Test
    void refusesArraysNestedTooDeep() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 1).string("bomb").u32(9);
        for (int i = 0; i < 50; i++) {
            raw.u32(9).u64(1); // an array holding one array holding one array…
        }
        raw.u32(0).u64(0);
        Path file = raw.writeTo(dir, "bomb.gguf");

        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("nests arrays deeper than 8 levels");
        assertThatThrownBy(() -> new GgufReader(0).read(file)).hasMessageContaining("nests arrays deeper than 8 levels");
    }

    @Test
    void refusesUnknownValueAndTensorTypes() throws IOException {
        Path value = RawGguf.header(3, 0, 1).string("k").u32(77).zeros(8).writeTo(dir, "vt.gguf");
        Path tensor = RawGguf.header(3, 1, 0).string("w").u32(1).u64(32).u32(99).u64(0).zeros(64).writeTo(dir, "tt.gguf");
        Path retired = RawGguf.header(3, 1, 0).string("w").u32(1).u64(32).u32(4).u64(0).zeros(64).writeTo(dir, "q42.gguf");

        assertThatThrownBy(() -> reader.read(value)).hasMessage("corrupt GGUF: metadata \"k\" has unknown value type 77");
        assertThatThrownBy(() -> reader.read(tensor)).hasMessageContaining("tensor \"w\" has unknown type 99");
        assertThatThrownBy(() -> reader.read(retired)).hasMessageContaining("tensor \"w\" has unknown type 4");
    }

    @Test
    void refusesShapesThatOverflowOrBreakBlocks() throws IOException {
        Path overflow = RawGguf.header(3, 1, 0).string("w").u32(3).u64(1L << 32).u64(1L << 32).u64(1L << 32)
                .u32(0).u64(0).zeros(64).writeTo(dir, "o.gguf");
        Path negative = RawGguf.header(3, 1, 0).string("w").u32(1).u64(-32).u32(0).u64(0).zeros(64).writeTo(dir, "n.gguf");
        Path dims = RawGguf.header(3, 1, 0).string("w").u32(5).zeros(64).writeTo(dir, "d.gguf");
        Path block = RawGguf.header(3, 1, 0).string("w").u32(1).u64(33).u32(GgmlType.Q8_0.id()).u64(0).zeros(64)
                .writeTo(dir, "b.gguf");
        Path offset = RawGguf.header(3, 1, 0).string("w").u32(1).u64(32).u32(0).u64(7).zeros(64).writeTo(dir, "a.gguf");
        Path end = RawGguf.header(3, 1, 0).string("w").u32(2).u64(1L << 31).u64(1L << 31).u32(0).u64(Long.MAX_VALUE - 31)
                .zeros(64).writeTo(dir, "e.gguf");

        assertThatThrownBy(() -> reader.read(overflow)).hasMessageContaining("element count overflows");
        assertThatThrownBy(() -> reader.read(negative)).hasMessageContaining("has dimension 18446744073709551584");
        assertThatThrownBy(() -> reader.read(dims)).hasMessageContaining("has 5 dimensions");
        assertThatThrownBy(() -> reader.read(block)).hasMessageContaining("not a multiple of the Q8_0 block size 32");
        assertThatThrownBy(() -> reader.read(offset)).hasMessageContaining("not a multiple of the alignment 32");
        assertThatThrownBy(() -> reader.read(end)).isInstanceOf(GgufFormatException.class);
    }

    @Test
    void refusesBadAlignment() throws IOException {
        Path file = RawGguf.header(3, 0, 1).string("general.alignment").u32(4).u32(24).writeTo(dir, "al.gguf");

        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("general.alignment must be a power of two");
    }

    @Test
    void saysHowMuchTensorDataIsMissing() throws IOException {
        Path file = dir.resolve("cut.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny(), file);
        GgufFile whole = reader.read(file);
        long keep = whole.dataOffset() + 4096;
        byte[] bytes = Arrays.copyOf(Files.readAllBytes(file), (int) keep);
        Files.write(file, bytes);

        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessage("truncated GGUF: expected " + whole.tensorDataBytes() + " bytes of tensor data at offset "
                        + whole.dataOffset() + ", file has 4096");
    }

    @Test
    void bytesAfterTheLastTensorAreRefused() throws Exception {
        Path file = dir.resolve("padded.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny(), file);
        GgufFile whole = reader.read(file);
        assertThat(whole.fileSize() - whole.dataOffset()).as("the writer's own padding is accepted")
                .isLessThanOrEqualTo(GgufReader.alignUp(whole.tensorDataBytes(), whole.alignment()));
        Files.write(file, new byte[3 << 20], java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageStartingWith("corrupt GGUF: ")
                .hasMessageContaining("bytes follow the last tensor");
    }

    @Test
    void refusesTheFileTruncatedAtEveryByteOfItsHeader() throws IOException {
        Path file = dir.resolve("model.gguf");
        SyntheticLlama.write(LlamaModelSpec.tiny(), file);
        byte[] bytes = Files.readAllBytes(file);
        long dataOffset = reader.read(file).dataOffset();
        Path cut = dir.resolve("cut.gguf");
        for (int length = 0; length < dataOffset; length += length < 64 ? 1 : 7) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            int at = length;
            assertThatThrownBy(() -> new GgufReader(8).read(cut))
                    .as("cut at %d", at)
                    .isInstanceOf(GgufFormatException.class)
                    .extracting(e -> ((PaddockException) e).code())
                    .isEqualTo(ErrorCode.INVALID_MODEL);
        }
    }

    @Test
    void namesAMissingFileAndADirectory() {
        assertThatThrownBy(() -> reader.read(dir.resolve("nope.gguf")))
                .hasMessage("no such file: " + dir.resolve("nope.gguf"));
        assertThatThrownBy(() -> reader.read(dir)).hasMessageContaining("is a directory");
    }
}
