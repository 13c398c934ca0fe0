package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryEstimatorTest {
    @TempDir Path dir;

    /** Llama 3.1 8B Instruct at Q4_K_M: 32 layers, 4096 wide, 32 heads, 8 KV heads of 128, 128,256 tokens. */
    private static final GgufFacts LLAMA_8B = new GgufFacts("llama", "Llama 3.1 8B", 8_030_261_248L, "Q4_K_M", 131072L, 32L,
            4096L, 14336L, 32L, 8L, 128L, 128L, 128256L, 128000L, 128009L, null, Map.of(GgmlType.Q4_K, 4_920_734_208L),
            8_000_000, 4_920_734_208L, null, null, 0);

    @Test
    void theEightBillionLlamaAtEightKContextByHand() {
        MemoryEstimate e = MemoryEstimator.estimate(LLAMA_8B, 8192, KvCacheType.F16, 512);

        // KV: 32 layers × 8192 × 8 KV heads × (128 + 128) × 2 bytes = 1 GiB
        assertThat(e.kvCacheBytes()).isEqualTo(1L << 30);
        assertThat(e.weightsBytes()).isEqualTo(4_920_734_208L);
        // compute, typical: 10 MiB + 128,256 × 240 bytes
        assertThat(e.computeBytes()).isEqualTo((10L << 20) + 128_256L * 240);
        // compute, worst: max(128,256 × 512 × 4, 32 × 512 × 8192 × 4) + (4096 + 14336) × 512 × 16
        assertThat(e.computeWorstCaseBytes()).isEqualTo(32L * 512 * 8192 * 4 + (4096L + 14336) * 512 * 16);
        assertThat(e.expectedBytes()).isEqualTo((111L << 20) + 4_920_734_208L + (1L << 30) + (10L << 20) + 128_256L * 240);
        assertThat(e.worstCaseBytes()).isGreaterThan(e.expectedBytes());
    }

    @Test
    void aQuantizedCacheCostsWhatItsBlocksCost() {
        long f16 = MemoryEstimator.estimate(LLAMA_8B, 8192, KvCacheType.F16, 512).kvCacheBytes();
        assertThat(MemoryEstimator.estimate(LLAMA_8B, 8192, KvCacheType.Q8_0, 512).kvCacheBytes()).isEqualTo(f16 / 2 * 34 / 32);
        assertThat(MemoryEstimator.estimate(LLAMA_8B, 8192, KvCacheType.Q4_0, 512).kvCacheBytes()).isEqualTo(f16 / 2 * 18 / 32);
    }

    @Test
    void contextsArePaddedTo256LikeLlamaCpp() {
        assertThat(MemoryEstimator.estimate(LLAMA_8B, 1000, KvCacheType.F16, 512).context()).isEqualTo(1024);
    }

    @Test
    void theLargestContextThatFitsIsFoundAtTheBoundary() {
        long budget = MemoryEstimator.estimate(LLAMA_8B, 16384, KvCacheType.F16, 512).expectedBytes();

        assertThat(MemoryEstimator.largestContext(LLAMA_8B, KvCacheType.F16, 512, budget, 131072)).isEqualTo(16384);
        assertThat(MemoryEstimator.largestContext(LLAMA_8B, KvCacheType.F16, 512, budget - 1, 131072)).isEqualTo(16384 - 256);
        assertThat(MemoryEstimator.largestContext(LLAMA_8B, KvCacheType.F16, 512, 1L << 30, 131072)).isZero();
    }

    @Test
    void aVisionProjectorsWeightsCountBesideTheModelsAndLeaveLessRoomForContext() {
        long projector = 600L << 20;
        long budget = MemoryEstimator.estimate(LLAMA_8B, 16384, KvCacheType.F16, 512).expectedBytes();
        SystemMemory memory = new SystemMemory(budget * 2, budget, null);
        CpuTopology cpu = CpuTopology.read(Path.of("src/test/resources/fixtures/hardware/2core-vm/cpuinfo.txt"));

        FitPlan alone = FitPlan.plan(LLAMA_8B, 16384, KvCacheType.F16, memory, cpu, 0);
        FitPlan seeing = FitPlan.plan(LLAMA_8B, 16384, KvCacheType.F16, memory, cpu, projector);

        assertThat(alone.fits()).isTrue();
        assertThat(seeing.estimate().projectorBytes()).isEqualTo(projector);
        assertThat(seeing.estimate().expectedBytes()).isEqualTo(alone.estimate().expectedBytes() + projector);
        assertThat(seeing.estimate().worstCaseBytes()).isEqualTo(alone.estimate().worstCaseBytes() + projector);
        assertThat(seeing.fits()).isFalse();
        assertThat(seeing.largestContext()).isEqualTo(MemoryEstimator.largestContext(LLAMA_8B, KvCacheType.F16, 512,
                budget - projector, 131072)).isLessThan(alone.largestContext());
    }

    @Test
    void memoryAndCpuAreReadFromTheRealFixtures() {
        // real outputs of the two machines in ../shared/fixtures/hardware, copied into the repository
        Path fixtures = Path.of("src/test/resources/fixtures/hardware");
        SystemMemory vm = SystemMemory.read(fixtures.resolve("2core-vm/meminfo.txt"), dir);
        CpuTopology twoCores = CpuTopology.read(fixtures.resolve("2core-vm/cpuinfo.txt"));
        CpuTopology h100Host = CpuTopology.read(fixtures.resolve("h100-vm/cpuinfo.txt"));

        assertThat(vm.totalBytes()).isEqualTo(24_683_656L * 1024);
        assertThat(vm.availableBytes()).isEqualTo(24_427_212L * 1024);
        assertThat(vm.containerLimitBytes()).isNull();
        assertThat(twoCores.logicalCpus()).isEqualTo(2);
        assertThat(twoCores.physicalCores()).isEqualTo(2);
        assertThat(twoCores.model()).isEqualTo("AMD EPYC");
        assertThat(twoCores.features()).contains("avx2", "sha_ni").doesNotContain("avx512f");
        assertThat(h100Host.logicalCpus()).isGreaterThanOrEqualTo(h100Host.physicalCores());
    }

    @Test
    void aContainersMemoryLimitIsWhatCounts() throws Exception {
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal: 65536000 kB\nMemAvailable: 60000000 kB\n");
        Path cgroup = Files.createDirectories(dir.resolve("cgroup"));
        Files.writeString(cgroup.resolve("memory.max"), "4294967296\n");
        Files.writeString(cgroup.resolve("memory.current"), "1073741824\n");

        SystemMemory m = SystemMemory.read(meminfo, cgroup);

        assertThat(m.containerLimitBytes()).isEqualTo(4L << 30);
        assertThat(m.usableBytes()).isEqualTo(3L << 30);
        Files.writeString(cgroup.resolve("memory.max"), "max\n");
        assertThat(SystemMemory.read(meminfo, cgroup).usableBytes()).isEqualTo(60_000_000L * 1024);
    }
}
