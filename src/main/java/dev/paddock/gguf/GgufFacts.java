package dev.paddock.gguf;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a model's header tells about it, derived once: the inputs of listings, of {@code show} and of
 * memory estimates. Fields a file does not state are null.
 */
public record GgufFacts(
        String architecture,
        String name,
        long parameterCount,
        String quantization,
        Long contextLength,
        Long blockCount,
        Long embeddingLength,
        Long feedForwardLength,
        Long headCount,
        Long headCountKv,
        Long keyLength,
        Long valueLength,
        Long vocabSize,
        Long bosTokenId,
        Long eosTokenId,
        String chatTemplate,
        Map<GgmlType, Long> bytesByType,
        long headerBytes,
        long tensorDataBytes,
        Long expertCount,
        Long expertUsedCount,
        long expertBytes) {

    public GgufFacts {
        bytesByType = Map.copyOf(bytesByType);
    }

    /** The same model in another quantisation: what a fit estimate needs of a file not yet downloaded. */
    public GgufFacts withWeights(String quantization, long tensorDataBytes) {
        long experts = this.tensorDataBytes == 0 ? 0 : (long) ((double) expertBytes * tensorDataBytes / this.tensorDataBytes);
        return new GgufFacts(architecture, name, parameterCount, quantization, contextLength, blockCount, embeddingLength,
                feedForwardLength, headCount, headCountKv, keyLength, valueLength, vocabSize, bosTokenId, eosTokenId, chatTemplate,
                Map.of(), headerBytes, tensorDataBytes, expertCount, expertUsedCount, experts);
    }

    /** A mixture of experts: routed expert tensors ({@code *_exps}), of which each token uses {@code expertUsedCount}. */
    public boolean mixtureOfExperts() {
        return expertBytes > 0 && expertCount != null && expertCount > 0 && expertUsedCount != null && expertUsedCount > 0;
    }

    /**
     * The weights one generated token reads: every tensor, but of the routed experts only the share a token
     * uses (what bounds generation speed; memory holds them all).
     */
    public long activeBytesPerToken() {
        if (!mixtureOfExperts()) {
            return tensorDataBytes;
        }
        double used = Math.min(1.0, (double) expertUsedCount / expertCount);
        return tensorDataBytes - expertBytes + (long) (expertBytes * used);
    }

    /** Whether a tensor is a routed expert's (not a shared expert's, {@code *_shexp}). */
    public static boolean isExpertTensor(String name) {
        return name.startsWith("blk.") && name.contains("_exps");
    }

    static GgufFacts of(GgufFile f) {
        String arch = f.string("general.architecture").orElse(null);
        String p = (arch == null ? "unknown" : arch) + ".";
        long params = 0;
        long experts = 0;
        Map<GgmlType, Long> bytesByType = new EnumMap<>(GgmlType.class);
        for (TensorInfo t : f.tensors()) {
            params += t.elementCount();
            bytesByType.merge(t.type(), t.sizeBytes(), Long::sum);
            if (isExpertTensor(t.name())) {
                experts += t.sizeBytes();
            }
        }
        Long headCount = f.integer(p + "attention.head_count").orElse(null);
        Long embedding = f.integer(p + "embedding_length").orElse(null);
        Long headDim = headCount != null && embedding != null && headCount > 0 ? embedding / headCount : null;
        Long vocab = f.integer(p + "vocab_size")
                .or(() -> f.array("tokenizer.ggml.tokens").map(GgufValue.Array::count))
                .orElse(null);
        return new GgufFacts(
                arch,
                f.string("general.name").orElse(null),
                params,
                quantization(f),
                f.integer(p + "context_length").orElse(null),
                f.integer(p + "block_count").orElse(null),
                embedding,
                f.integer(p + "feed_forward_length").orElse(null),
                headCount,
                f.integer(p + "attention.head_count_kv").orElse(headCount),
                f.integer(p + "attention.key_length").orElse(headDim),
                f.integer(p + "attention.value_length").orElse(headDim),
                vocab,
                f.integer("tokenizer.ggml.bos_token_id").orElse(null),
                f.integer("tokenizer.ggml.eos_token_id").orElse(null),
                f.string("tokenizer.chat_template").orElse(null),
                bytesByType,
                f.dataOffset(),
                f.tensorDataBytes(),
                f.integer(p + "expert_count").orElse(null),
                f.integer(p + "expert_used_count").orElse(null),
                experts);
    }

    /**
     * The recorded file type when the file states a known one (it distinguishes Q4_K_M from Q4_K_S);
     * otherwise the type holding most of the bytes of the weight matrices.
     */
    static String quantization(GgufFile f) {
        String recorded = f.integer("general.file_type").map(FileType::name).orElse(null);
        if (recorded != null) {
            return recorded;
        }
        Map<GgmlType, Long> matrixBytes = new EnumMap<>(GgmlType.class);
        for (TensorInfo t : f.tensors()) {
            if (t.shape().size() >= 2) {
                matrixBytes.merge(t.type(), t.sizeBytes(), Long::sum);
            }
        }
        return matrixBytes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(e -> e.getKey().name())
                .orElse("unknown");
    }
}
