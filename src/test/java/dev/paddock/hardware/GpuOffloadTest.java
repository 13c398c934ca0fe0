package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.gguf.GgufFile;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.TensorInfo;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuOffloadTest {
    @TempDir Path dir;

    private static GpuInfo gpu(String name, long freeBytes) {
        return new GpuInfo("nvidia", 0, name, freeBytes, 0L, freeBytes, "580", "13.0", "9.0", null, null, false);
    }

    @Test
    void aLargeGpuTakesEveryLayerAndTheOutputASmallOneSomeAndNoneWhenFull() {
        GgufFile file = new GgufReader().read(TestModels.write(LlamaModelSpec.large(), dir, "m.gguf"));
        MemoryEstimate e = MemoryEstimator.estimate(file.facts(), 4096, KvCacheType.F16, 512);
        long layerWeights = file.tensors().stream().filter(t -> t.name().startsWith("blk.")).mapToLong(TensorInfo::sizeBytes).sum();
        long perLayer = (layerWeights + e.kvCacheBytes()) / 12;
        long fixed = GpuOffload.GPU_RUNTIME_BYTES + e.computeWorstCaseBytes();

        GpuOffload h100 = GpuOffload.plan(file, e, List.of(gpu("NVIDIA H100 80GB HBM3", 81079L << 20)));
        GpuOffload small = GpuOffload.plan(file, e, List.of(gpu("small", fixed + 5 * perLayer + 1)));
        GpuOffload busy = GpuOffload.plan(file, e, List.of(gpu("busy", fixed - 1)));

        assertThat(h100.full()).isTrue();
        assertThat(h100.layers()).isEqualTo(13);
        assertThat(h100.describe()).startsWith("fits fully on NVIDIA H100 80GB HBM3");
        assertThat(small.layers()).isEqualTo(5);
        assertThat(small.describe()).startsWith("fits with 5 of 12 layers on small");
        assertThat(busy.layers()).isZero();
        assertThat(GpuOffload.plan(file, e, List.of())).isNull();
    }
}
