package dev.paddock.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The quantisation a GGUF file's name states, as publishers write it: Q4_K_M, IQ3_XXS, Q8_0, BF16, MXFP4… */
public final class QuantName {
    /** The last match in a name wins: "Qwen3-8B-Q4_K_M" is Q4_K_M, not the 8B. */
    private static final Pattern QUANT = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])(I?Q[1-8]_[0-9A-Z_]*[0-9A-Z]|I?Q[1-8](?:_[KSML01])*|TQ[12]_0|MXFP4(?:_MOE)?|BF16|F16|F32|FP16|FP32)(?![A-Za-z0-9])");
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");

    private QuantName() {}

    /** The quantisation named in a file's stem (its path without ".gguf"), upper-cased; the stem's own name when it names none. */
    public static String of(String stem) {
        String name = stem.substring(stem.lastIndexOf('/') + 1);
        Matcher m = QUANT.matcher(name);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found == null ? name : found.toUpperCase(Locale.ROOT);
    }

    /** Bits per weight a quantisation names: Q4_K_M 4, F16 16, BF16 16, MXFP4 4; 0 when it names none. */
    public static int bits(String quant) {
        Matcher m = DIGITS.matcher(quant.replaceFirst("^(?i)MXFP", "Q"));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * The multimodal projector that goes with a model file, as {@code llama-server -hf} picks it: an mmproj GGUF in the
     * model's folder or one above it, the nearest folder first, then the closest bits per weight to the model's.
     * Paths use "/" and are relative to one root (a repository, a watched folder).
     */
    public static java.util.Optional<String> projectorFor(String modelPath, java.util.Collection<String> paths) {
        String modelDir = modelPath.contains("/") ? modelPath.substring(0, modelPath.lastIndexOf('/') + 1) : "";
        int modelBits = bits(of(stem(modelPath)));
        String best = null;
        int bestDepth = -1;
        int bestDiff = Integer.MAX_VALUE;
        for (String p : paths) {
            String name = p.substring(p.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            String dir = p.substring(0, p.length() - name.length());
            if (!name.endsWith(".gguf") || !name.contains("mmproj") || !modelDir.startsWith(dir)) {
                continue;
            }
            int depth = dir.isEmpty() ? 0 : dir.split("/").length;
            int diff = Math.abs(bits(of(stem(p))) - modelBits);
            if (depth > bestDepth || depth == bestDepth && diff < bestDiff) {
                best = p;
                bestDepth = depth;
                bestDiff = diff;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    private static String stem(String path) {
        return path.replaceFirst("(?i)\\.gguf$", "");
    }
}
