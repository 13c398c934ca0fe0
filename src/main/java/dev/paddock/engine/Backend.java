package dev.paddock.engine;

import dev.paddock.error.PaddockException;
import java.util.List;
import java.util.Locale;

/** The ggml backend an engine is built for, and the CMake flag that selects it. */
public enum Backend {
    CPU(List.of()),
    CUDA(List.of("-DGGML_CUDA=ON")),
    VULKAN(List.of("-DGGML_VULKAN=ON"));

    private final List<String> cmakeFlags;

    Backend(List<String> cmakeFlags) {
        this.cmakeFlags = cmakeFlags;
    }

    List<String> cmakeFlags() {
        return cmakeFlags;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Backend parse(String s) {
        for (Backend b : values()) {
            if (b.label().equals(s == null ? "" : s.strip().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new PaddockException(dev.paddock.error.ErrorCode.USAGE, "--backend must be cpu, cuda or vulkan, not \"" + s + "\"");
    }
}
