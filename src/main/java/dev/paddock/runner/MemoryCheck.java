package dev.paddock.runner;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.MemoryEstimate;
import dev.paddock.hardware.MemoryEstimator;
import dev.paddock.model.ModelName;

/** Refuses a load that cannot fit in the memory available now, with the numbers, before a runner starts. */
final class MemoryCheck {
    private MemoryCheck() {}

    static void require(ModelName name, GgufFacts facts, int context, long available) {
        require(name, facts, context, KvCacheType.F16, available);
    }

    static void require(ModelName name, GgufFacts facts, int context, KvCacheType kv, long available) {
        require(name, facts, context, kv, available, 0);
    }

    static void require(ModelName name, GgufFacts facts, int context, KvCacheType kv, long available, long projectorBytes) {
        MemoryEstimate e = MemoryEstimator.estimate(facts, context, kv, RunnerSettings.DEFAULT_BATCH).withProjector(projectorBytes);
        long need = e.expectedBytes();
        if (available > 0 && need > available) {
            throw new PaddockException(ErrorCode.INVALID_INPUT, String.format(
                    "%s needs about %d MiB (weights %d MiB + KV cache %d MiB at context %d + compute %d MiB + %d MiB runtime%s), "
                            + "only %d MiB are available; use a smaller context or a smaller quantization (\"paddock fit %s\")",
                    name, need >> 20, e.weightsBytes() >> 20, e.kvCacheBytes() >> 20, e.context(), e.computeBytes() >> 20,
                    e.runtimeBytes() >> 20, projectorBytes > 0 ? " + vision projector " + (projectorBytes >> 20) + " MiB" : "",
                    available >> 20, name));
        }
    }
}
