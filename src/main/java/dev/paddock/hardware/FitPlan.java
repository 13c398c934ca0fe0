package dev.paddock.hardware;

import dev.paddock.gguf.GgufFacts;
import dev.paddock.gguf.GgufFile;
import java.util.List;

/**
 * Whether a model fits this machine's CPU and memory at a context, and the settings to run it with:
 * the verdict with its numbers, the largest context that fits, threads (physical cores), batch size.
 * With GPUs, also the layers a GPU build of llama-server could offload (the embedded engine is a CPU build).
 */
public record FitPlan(MemoryEstimate estimate, long availableBytes, boolean fits, int largestContext, int trainedContext,
        int threads, int batch, KvCacheType kvType, GpuOffload gpu) {

    public static final int BATCH = 512;

    public static FitPlan plan(GgufFacts facts, Integer context, KvCacheType kv, SystemMemory memory, CpuTopology cpu) {
        return plan(facts, null, context, kv, memory, cpu, List.of());
    }

    /** A context a model can be loaded with, or the reason it cannot: from 16 tokens (the runner's least) to 16M. */
    public static Integer requireContext(Integer context) {
        if (context != null && (context < 16 || context > (1 << 24))) {
            throw dev.paddock.error.PaddockException.invalidInput("a context of " + context + " tokens cannot be loaded; give one from 16 to "
                    + (1 << 24));
        }
        return context;
    }

    /** With a vision projector of {@code projectorBytes} loaded beside the model. */
    public static FitPlan plan(GgufFacts facts, Integer context, KvCacheType kv, SystemMemory memory, CpuTopology cpu,
            long projectorBytes) {
        return plan(facts, null, context, kv, memory, cpu, List.of(), projectorBytes);
    }

    /** With the model's tensor table and the GPUs, also how many layers a GPU can take (for a GPU build of llama-server). */
    public static FitPlan plan(GgufFacts facts, GgufFile file, Integer context, KvCacheType kv, SystemMemory memory,
            CpuTopology cpu, List<GpuInfo> gpus) {
        return plan(facts, file, context, kv, memory, cpu, gpus, 0);
    }

    /** As above, with a vision projector of {@code projectorBytes} (its mmproj file's size; 0: none) loaded beside the model. */
    public static FitPlan plan(GgufFacts facts, GgufFile file, Integer context, KvCacheType kv, SystemMemory memory,
            CpuTopology cpu, List<GpuInfo> gpus, long projectorBytes) {
        requireContext(context);
        int trained = facts.contextLength() == null ? 4096 : (int) Math.min(Integer.MAX_VALUE, facts.contextLength());
        int ctx = context != null ? context : Math.min(trained, 4096);
        MemoryEstimate e = MemoryEstimator.estimate(facts, ctx, kv, BATCH).withProjector(projectorBytes);
        long available = memory.usableBytes();
        int largest = MemoryEstimator.largestContext(facts, kv, BATCH, available - projectorBytes, Math.max(256, trained));
        GpuOffload offload = file == null ? null : GpuOffload.plan(file, e, gpus);
        return new FitPlan(e, available, e.expectedBytes() <= available, largest, trained, Math.max(1, cpu.physicalCores()),
                BATCH, kv, offload);
    }

    public String verdict() {
        String beyond = estimate.context() > trainedContext ? "; " + estimate.context() + " tokens is beyond the " + trainedContext
                + " the model was trained on, and its answers degrade past them" : "";
        if (gpu != null && gpu.layers() > 0) {
            return gpu.describe() + beyond;
        }
        return (fits ? (gpu == null ? "fits on the CPU" : "CPU only: " + gpu.describe()) : largestContext > 0 ? "does not fit at this context (at most "
                + largestContext + " fits)" : "does not fit in memory") + beyond;
    }
}
