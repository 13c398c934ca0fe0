package dev.paddock.hardware;

/**
 * What a model costs in memory when the embedded engine runs it on the CPU, in bytes. {@code expected} is
 * the peak resident set of a runner answering ordinary prompts (measured by bench/fit-accuracy);
 * {@code worstCase} assumes every buffer llama.cpp allocates is touched (a full batch at full context).
 */
public record MemoryEstimate(int context, KvCacheType kvType, long weightsBytes, long kvCacheBytes, long computeBytes,
        long computeWorstCaseBytes, long runtimeBytes) {

    public long expectedBytes() {
        return runtimeBytes + weightsBytes + kvCacheBytes + computeBytes;
    }

    public long worstCaseBytes() {
        return runtimeBytes + weightsBytes + kvCacheBytes + Math.max(computeBytes, computeWorstCaseBytes);
    }
}
