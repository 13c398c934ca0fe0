package dev.paddock.hardware;

/**
 * What a model costs in memory when the embedded engine runs it on the CPU, in bytes. {@code expected} is
 * the peak resident set of a runner answering ordinary prompts (measured by bench/fit-accuracy);
 * {@code worstCase} assumes every buffer llama.cpp allocates is touched (a full batch at full context).
 * {@code projectorBytes} are a vision projector's weights, for a model that has one (0 otherwise); the buffer it
 * encodes an image in comes on top while it does.
 */
public record MemoryEstimate(int context, KvCacheType kvType, long weightsBytes, long kvCacheBytes, long computeBytes,
        long computeWorstCaseBytes, long runtimeBytes, long projectorBytes) {

    public MemoryEstimate(int context, KvCacheType kvType, long weightsBytes, long kvCacheBytes, long computeBytes,
            long computeWorstCaseBytes, long runtimeBytes) {
        this(context, kvType, weightsBytes, kvCacheBytes, computeBytes, computeWorstCaseBytes, runtimeBytes, 0);
    }

    /** With a vision projector's weights (its mmproj file) loaded beside the model. */
    public MemoryEstimate withProjector(long bytes) {
        return new MemoryEstimate(context, kvType, weightsBytes, kvCacheBytes, computeBytes, computeWorstCaseBytes, runtimeBytes, bytes);
    }

    public long expectedBytes() {
        return runtimeBytes + weightsBytes + kvCacheBytes + computeBytes + projectorBytes;
    }

    public long worstCaseBytes() {
        return runtimeBytes + weightsBytes + kvCacheBytes + Math.max(computeBytes, computeWorstCaseBytes) + projectorBytes;
    }
}
