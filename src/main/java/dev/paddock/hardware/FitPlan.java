package dev.paddock.hardware;

import dev.paddock.gguf.GgufFacts;

/**
 * Whether a model fits this machine's CPU and memory at a context, and the settings to run it with:
 * the verdict with its numbers, the largest context that fits, threads (physical cores), batch size.
 * GPUs are not planned for yet: the embedded engine is a CPU build.
 */
public record FitPlan(MemoryEstimate estimate, long availableBytes, boolean fits, int largestContext, int trainedContext,
        int threads, int batch, KvCacheType kvType) {

    public static final int BATCH = 512;

    public static FitPlan plan(GgufFacts facts, Integer context, KvCacheType kv, SystemMemory memory, CpuTopology cpu) {
        int trained = facts.contextLength() == null ? 4096 : (int) Math.min(Integer.MAX_VALUE, facts.contextLength());
        int ctx = context != null ? context : Math.min(trained, 4096);
        MemoryEstimate e = MemoryEstimator.estimate(facts, ctx, kv, BATCH);
        long available = memory.usableBytes();
        int largest = MemoryEstimator.largestContext(facts, kv, BATCH, available, Math.max(256, trained));
        return new FitPlan(e, available, e.expectedBytes() <= available, largest, trained, Math.max(1, cpu.physicalCores()),
                BATCH, kv);
    }

    public String verdict() {
        return fits ? "fits on the CPU" : largestContext > 0 ? "does not fit at this context (at most " + largestContext + " fits)"
                : "does not fit in memory";
    }
}
