package dev.paddock.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.testing.FakeHub;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufSplitTest {
    @TempDir Path dir;

    @Test
    void aModelSplitInThreeMergesBackIntoTheSameBytes() throws Exception {
        Path whole = TestModels.write(LlamaModelSpec.small().withWeights(GgmlType.Q8_0), dir, "whole.gguf");
        List<Path> parts = GgufSplit.split(whole, 3, dir, "small-Q8_0");

        assertThat(parts).extracting(p -> p.getFileName().toString())
                .containsExactly("small-Q8_0-00001-of-00003.gguf", "small-Q8_0-00002-of-00003.gguf", "small-Q8_0-00003-of-00003.gguf");
        GgufFile second = new GgufReader().read(parts.get(1)); // each part is a GGUF of its own
        assertThat(second.integer(GgufSplit.NO)).contains(1L);
        assertThat(second.tensors()).isNotEmpty();

        Path merged = dir.resolve("merged.gguf");
        GgufSplit.merge(parts, merged);

        assertThat(FakeHub.sha256(merged)).isEqualTo(FakeHub.sha256(whole));
    }

    @Test
    void partsOutOfOrderOrMissingAreRefused() throws Exception {
        Path whole = TestModels.tiny(dir, "whole.gguf");
        List<Path> parts = GgufSplit.split(whole, 3, dir, "tiny");

        assertThatThrownBy(() -> GgufSplit.merge(List.of(parts.get(1), parts.get(0), parts.get(2)), dir.resolve("x.gguf")))
                .hasMessageContaining("not part 1 of 3");
        assertThatThrownBy(() -> GgufSplit.merge(parts.subList(0, 2), dir.resolve("y.gguf"))).hasMessageContaining("part 1 of 3");
    }
}
