package dev.paddock.gguf;

/**
 * The shape of a generated llama-architecture model. Presets span ~1M to ~150M parameters; the
 * {@code with…} methods vary one thing at a time.
 */
public record LlamaModelSpec(
        String name,
        int vocabSize,
        int embeddingLength,
        int blockCount,
        int feedForwardLength,
        int headCount,
        int headCountKv,
        int contextLength,
        GgmlType weightType,
        boolean tiedEmbeddings,
        String chatTemplate,
        long seed,
        String architecture) {

    /** Byte-level vocabulary: 3 special tokens, 256 byte tokens, 2 chat markers. */
    public static final int MIN_VOCAB = 261;

    /** Architectures the writer makes: llama, and qwen3 (llama plus per-head RMS norms of queries and keys). */
    public static final java.util.Set<String> ARCHITECTURES = java.util.Set.of("llama", "qwen3");

    /**
     * Weight types the writer makes. Q4_K stands for the mixture llama.cpp's {@code llama-quantize} calls Q4_K_M:
     * Q6_K for the output and for some layers' {@code attn_v} and {@code ffn_down}, Q4_K for the rest.
     */
    public static final java.util.Set<GgmlType> WEIGHT_TYPES = java.util.Set.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0,
            GgmlType.Q4_K);

    public LlamaModelSpec {
        if (!ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException("generated models are llama or qwen3, not " + architecture);
        }
        if (vocabSize < MIN_VOCAB) {
            throw new IllegalArgumentException("vocabulary needs at least " + MIN_VOCAB + " tokens");
        }
        if (headCount <= 0 || embeddingLength % headCount != 0 || headCountKv <= 0 || headCount % headCountKv != 0) {
            throw new IllegalArgumentException("heads must divide the embedding and KV heads must divide the heads");
        }
        if (!WEIGHT_TYPES.contains(weightType)) {
            throw new IllegalArgumentException("generated weights are F32, F16, Q8_0 or Q4_K (Q4_K_M), not " + weightType);
        }
        int block = weightType.blockSize();
        if (embeddingLength % block != 0 || feedForwardLength % block != 0) {
            throw new IllegalArgumentException("embedding and feed-forward lengths must be multiples of " + block);
        }
    }

    /** About 1M parameters: loads and generates in well under a second. */
    public static LlamaModelSpec tiny() {
        return new LlamaModelSpec("paddock-tiny", MIN_VOCAB, 128, 4, 384, 4, 2, 2048, GgmlType.F32, false, SyntheticLlama.CHATML_TEMPLATE, 42, "llama");
    }

    /** About 15M parameters. */
    public static LlamaModelSpec small() {
        return new LlamaModelSpec("paddock-small", 4096, 256, 8, 768, 8, 4, 4096, GgmlType.F16, false, SyntheticLlama.CHATML_TEMPLATE, 42, "llama");
    }

    /** About 150M parameters, a llama-shaped model at the size of the smallest real ones. */
    public static LlamaModelSpec large() {
        return new LlamaModelSpec("paddock-large", 32000, 768, 12, 2048, 12, 4, 4096, GgmlType.F16, false, SyntheticLlama.CHATML_TEMPLATE, 42, "llama");
    }

    public LlamaModelSpec withName(String n) {
        return new LlamaModelSpec(n, vocabSize, embeddingLength, blockCount, feedForwardLength, headCount, headCountKv,
                contextLength, weightType, tiedEmbeddings, chatTemplate, seed, architecture);
    }

    public LlamaModelSpec withVocab(int v) {
        return new LlamaModelSpec(name, v, embeddingLength, blockCount, feedForwardLength, headCount, headCountKv,
                contextLength, weightType, tiedEmbeddings, chatTemplate, seed, architecture);
    }

    public LlamaModelSpec withWeights(GgmlType t) {
        return new LlamaModelSpec(name, vocabSize, embeddingLength, blockCount, feedForwardLength, headCount,
                headCountKv, contextLength, t, tiedEmbeddings, chatTemplate, seed, architecture);
    }

    public LlamaModelSpec withContext(int c) {
        return new LlamaModelSpec(name, vocabSize, embeddingLength, blockCount, feedForwardLength, headCount,
                headCountKv, c, weightType, tiedEmbeddings, chatTemplate, seed, architecture);
    }

    public LlamaModelSpec withSeed(long s) {
        return new LlamaModelSpec(name, vocabSize, embeddingLength, blockCount, feedForwardLength, headCount,
                headCountKv, contextLength, weightType, tiedEmbeddings, chatTemplate, s, architecture);
    }

    public LlamaModelSpec withTiedEmbeddings(boolean tied) {
        return new LlamaModelSpec(name, vocabSize, embeddingLength, blockCount, feedForwardLength, headCount,
                headCountKv, contextLength, weightType, tied, chatTemplate, seed, architecture);
    }

    public LlamaModelSpec withLayers(int embedding, int blocks, int feedForward, int heads, int kvHeads) {
        return new LlamaModelSpec(name, vocabSize, embedding, blocks, feedForward, heads, kvHeads, contextLength,
                weightType, tiedEmbeddings, chatTemplate, seed, architecture);
    }

    /** The chat template written into the file; null writes none. */
    public LlamaModelSpec withChatTemplate(String template) {
        return new LlamaModelSpec(name, vocabSize, embeddingLength, blockCount, feedForwardLength, headCount,
                headCountKv, contextLength, weightType, tiedEmbeddings, template, seed, architecture);
    }

    /** A ChatML template that also renders tools and tool calls, so llama.cpp offers tool calling for the model. */
    public LlamaModelSpec withToolCalling() {
        return withChatTemplate(SyntheticLlama.TOOL_CALLING_TEMPLATE);
    }

    public LlamaModelSpec withArchitecture(String a) {
        return new LlamaModelSpec(name, vocabSize, embeddingLength, blockCount, feedForwardLength, headCount,
                headCountKv, contextLength, weightType, tiedEmbeddings, chatTemplate, seed, a);
    }

    public int headDimension() {
        return embeddingLength / headCount;
    }

    /** Parameters the model will have, the same sum the reader computes from tensor shapes. */
    public long parameterCount() {
        long e = embeddingLength;
        long kv = (long) headDimension() * headCountKv;
        long perBlock = 2 * e + e * e * 2 + e * kv * 2 + 3 * e * feedForwardLength
                + (architecture.equals("qwen3") ? 2L * headDimension() : 0);
        return (long) vocabSize * e * (tiedEmbeddings ? 1 : 2) + e + blockCount * perBlock;
    }
}
