package dev.paddock.runner;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufFacts;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the embedded engine (llama.cpp b4916, bundled by de.kherud:llama 4.2.0) can load. It refuses
 * anything else with one generic message, so Paddock checks first and says what is wrong.
 */
public final class EmbeddedEngine {
    public static final String BUILD = "b4916";

    /** Architectures llama.cpp knew in March 2025 (llama-arch.cpp of that build). */
    static final Set<String> ARCHITECTURES = Set.of(
            "llama", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder", "refact",
            "bert", "nomic-bert", "jina-bert-v2", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "phi2",
            "phi3", "phimoe", "plamo", "codeshell", "orion", "internlm2", "minicpm", "minicpm3", "gemma", "gemma2",
            "gemma3", "starcoder2", "mamba", "xverse", "command-r", "cohere2", "dbrx", "olmo", "olmo2", "olmoe",
            "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "bitnet", "t5", "t5encoder", "jais", "nemotron",
            "exaone", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "chameleon",
            "wavtokenizer-dec");

    /** Every tensor type of that build; newer ones (MXFP4) it cannot read. */
    static final Set<GgmlType> TYPES = EnumSet.complementOf(EnumSet.of(GgmlType.MXFP4));

    private EmbeddedEngine() {}

    /** Throws, saying why and what to do, when the embedded engine cannot load this model. */
    public static void check(String model, GgufFacts facts) {
        java.util.Optional<String> why = whyNot(model, facts);
        if (why.isPresent()) {
            throw refuse(why.get());
        }
    }

    /** Why the embedded engine cannot load this model, or empty when it can. */
    public static java.util.Optional<String> whyNot(String model, GgufFacts facts) {
        String arch = facts.architecture();
        if (arch == null) {
            return java.util.Optional.of(model + " has no general.architecture in its metadata, so no engine can load it");
        }
        if (!ARCHITECTURES.contains(arch)) {
            return java.util.Optional.of(arch + " models need a newer llama.cpp than the embedded engine (" + BUILD
                    + "); paddock engine install builds a current one");
        }
        for (GgmlType t : facts.bytesByType().keySet()) {
            if (!TYPES.contains(t)) {
                return java.util.Optional.of(model + " uses " + t + " tensors, which need a newer llama.cpp than the embedded engine ("
                        + BUILD + "); paddock engine install builds a current one");
            }
        }
        return java.util.Optional.empty();
    }

    private static PaddockException refuse(String message) {
        return new PaddockException(ErrorCode.INVALID_MODEL, message);
    }
}
