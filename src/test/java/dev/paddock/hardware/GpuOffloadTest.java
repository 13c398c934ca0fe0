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

    /** A mixture of experts' header: 4 layers, each with 64 MiB of attention and 384 MiB of routed experts (8, 2 used). */
    private static GgufFile moe() {
        java.util.Map<String, dev.paddock.gguf.GgufValue> meta = new java.util.LinkedHashMap<>();
        meta.put("general.architecture", new dev.paddock.gguf.GgufValue.Str("qwen3moe"));
        for (var kv : java.util.Map.of("block_count", 4L, "expert_count", 8L, "expert_used_count", 2L, "embedding_length", 4096L,
                "attention.head_count", 32L, "attention.head_count_kv", 4L, "context_length", 32768L).entrySet()) {
            meta.put("qwen3moe." + kv.getKey(), new dev.paddock.gguf.GgufValue.Int(dev.paddock.gguf.GgufValueType.UINT32, kv.getValue()));
        }
        List<TensorInfo> tensors = new java.util.ArrayList<>();
        long offset = 0;
        tensors.add(new TensorInfo("token_embd.weight", List.of(4096L, 1000L), dev.paddock.gguf.GgmlType.F32, offset));
        offset += 4096L * 1000 * 4;
        for (int b = 0; b < 4; b++) {
            tensors.add(new TensorInfo("blk." + b + ".attn_q.weight", List.of(4096L, 4096L), dev.paddock.gguf.GgmlType.F32, offset));
            offset += 4096L * 4096 * 4;
            for (String e : List.of("gate", "up", "down")) {
                tensors.add(new TensorInfo("blk." + b + ".ffn_" + e + "_exps.weight", List.of(4096L, 1024L, 8L), dev.paddock.gguf.GgmlType.F32, offset));
                offset += 4096L * 1024 * 8 * 4;
            }
        }
        tensors.add(new TensorInfo("output.weight", List.of(4096L, 1000L), dev.paddock.gguf.GgmlType.F32, offset));
        offset += 4096L * 1000 * 4;
        return new GgufFile(3, 4096 + offset, meta, tensors, 32, 4096, 4096);
    }

    @Test
    void aMixtureOfExpertsReadsOnlyItsUsedExpertsPerTokenAndKeepsTheRestOfTheExpertsInCpuMemoryWhenTheGpuIsShort() {
        GgufFile file = moe();
        var facts = file.facts();
        long experts = 4L * 3 * 4096 * 1024 * 8 * 4;
        assertThat(facts.mixtureOfExperts()).isTrue();
        assertThat(facts.expertBytes()).isEqualTo(experts);
        assertThat(facts.activeBytesPerToken()).isEqualTo(facts.tensorDataBytes() - experts + experts / 4);
        MemoryEstimate e = MemoryEstimator.estimate(facts, 4096, KvCacheType.F16, 512);
        long dense = GpuOffload.GPU_RUNTIME_BYTES + e.computeWorstCaseBytes() + facts.tensorDataBytes() - 4096L * 1000 * 4 - experts
                + e.kvCacheBytes();
        long expertsPerLayer = experts / 4;

        GpuOffload whole = GpuOffload.plan(file, e, List.of(gpu("big", dense + experts + (1L << 30))));
        GpuOffload short2 = GpuOffload.plan(file, e, List.of(gpu("short", dense + 2 * expertsPerLayer + (1L << 20))));
        GpuOffload denseOnly = GpuOffload.plan(file, e, List.of(gpu("tiny", dense + (1L << 20))));
        GpuOffload none = GpuOffload.plan(file, e, List.of(gpu("none", dense - (1L << 30))));

        assertThat(whole.full()).isTrue();
        assertThat(whole.cpuMoeLayers()).isNull();
        assertThat(short2.cpuMoeLayers()).isEqualTo(2);
        assertThat(short2.describe()).contains("experts of 2 of 4 layers in CPU memory", "--n-cpu-moe 2");
        assertThat(denseOnly.cpuMoeLayers()).isEqualTo(4);
        assertThat(none.cpuMoeLayers()).isNull();
        assertThat(none.layers()).isLessThan(4);
    }

    @Test
    void aDenseModelReadsAllItsWeightsPerToken() {
        var facts = new GgufReader().read(TestModels.tiny(dir, "d.gguf")).facts();
        assertThat(facts.mixtureOfExperts()).isFalse();
        assertThat(facts.activeBytesPerToken()).isEqualTo(facts.tensorDataBytes());
    }
}
