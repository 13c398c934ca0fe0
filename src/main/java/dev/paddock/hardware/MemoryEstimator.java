package dev.paddock.hardware;

import dev.paddock.gguf.GgufFacts;

/**
 * The memory model of a runner on the CPU:
 * <ul>
 * <li>weights: the tensor data, every byte of which is paged in once the model has answered;</li>
 * <li>KV cache: layers × context (padded to 256, as llama.cpp does) × KV heads × (key + value dimensions)
 *     × bytes per element of the cache type; llama.cpp clears it at load, so all of it is resident;</li>
 * <li>compute buffer: allocated for the worst case, max(vocabulary × batch, heads × batch × context) floats
 *     plus activations, but only partly touched by ordinary prompts: 10 MiB + 240 bytes per vocabulary entry
 *     (fitted on generated models, prompts under 64 tokens);</li>
 * <li>runtime: the runner's JVM and the llama.cpp library, 111 MiB (measured, model-independent).</li>
 * </ul>
 */
public final class MemoryEstimator {
    static final long RUNTIME_BYTES = 111L << 20;
    static final long COMPUTE_BASE_BYTES = 10L << 20;
    static final long COMPUTE_BYTES_PER_VOCAB = 240;
    static final int CONTEXT_PADDING = 256;

    private MemoryEstimator() {}

    public static MemoryEstimate estimate(GgufFacts f, int context, KvCacheType kv, int batch) {
        int ctx = (context + CONTEXT_PADDING - 1) / CONTEXT_PADDING * CONTEXT_PADDING;
        long layers = nz(f.blockCount());
        long kvHeads = nz(f.headCountKv());
        long kvCache = kv.bytesFor(layers * ctx * kvHeads * (nz(f.keyLength()) + nz(f.valueLength())));
        long vocab = nz(f.vocabSize());
        long ubatch = Math.min(batch, ctx);
        long heads = nz(f.headCount());
        long activations = (nz(f.embeddingLength()) + nz(f.feedForwardLength())) * ubatch * 4 * 4;
        long computeWorst = Math.max(vocab * ubatch * 4, heads * ubatch * ctx * 4) + activations;
        long compute = COMPUTE_BASE_BYTES + vocab * COMPUTE_BYTES_PER_VOCAB;
        return new MemoryEstimate(ctx, kv, f.tensorDataBytes(), kvCache, compute, computeWorst, RUNTIME_BYTES);
    }

    /** The largest context (a multiple of 256, at most {@code limit}) whose expected memory fits in {@code available}. */
    public static int largestContext(GgufFacts f, KvCacheType kv, int batch, long available, int limit) {
        int best = 0;
        for (int ctx = CONTEXT_PADDING; ctx <= limit; ctx += CONTEXT_PADDING) {
            if (estimate(f, ctx, kv, batch).expectedBytes() > available) {
                break;
            }
            best = ctx;
        }
        return best;
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }
}
