package dev.paddock.runner;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.model.ModelName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a load that cannot fit in the memory available now, with the numbers, before a runner is
 * started (a rough check: weights + f16 KV cache + a fixed allowance; fit planning refines it).
 */
final class MemoryCheck {
    static final long OVERHEAD_BYTES = 256L << 20;

    private MemoryCheck() {}

    static void require(ModelName name, GgufFacts facts, long fileBytes, int context) {
        long kv = kvCacheBytes(facts, context);
        long need = fileBytes + kv + OVERHEAD_BYTES;
        long available = availableBytes();
        if (available > 0 && need > available) {
            throw new PaddockException(ErrorCode.INVALID_INPUT, String.format(
                    "%s needs about %d MiB (weights %d MiB + KV cache %d MiB at context %d + %d MiB runtime), "
                            + "only %d MiB are available; use a smaller context or a smaller quantization",
                    name, need >> 20, fileBytes >> 20, kv >> 20, context, OVERHEAD_BYTES >> 20, available >> 20));
        }
    }

    static long kvCacheBytes(GgufFacts f, int context) {
        if (f.blockCount() == null || f.headCountKv() == null || f.keyLength() == null || f.valueLength() == null) {
            return 0;
        }
        return f.blockCount() * context * f.headCountKv() * (f.keyLength() + f.valueLength()) * 2;
    }

    /** MemAvailable from /proc/meminfo, or -1 where there is none. */
    static long availableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
