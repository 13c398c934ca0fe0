package dev.paddock.runner;

import java.time.Duration;

/** Settings every runner starts with unless a request says otherwise (from the config's runner.* keys). */
public record RunnerDefaults(int contextSize, int threads, int batchSize, int gpuLayers, long keepAliveSeconds,
        int maxLoaded, Duration startTimeout, String llamaServer) {

    public RunnerDefaults(int contextSize, int threads, int batchSize, int gpuLayers, long keepAliveSeconds, int maxLoaded,
            Duration startTimeout) {
        this(contextSize, threads, batchSize, gpuLayers, keepAliveSeconds, maxLoaded, startTimeout, "");
    }

    /** Per-model choices for one load; nulls fall back to the defaults. */
    public record Overrides(Integer contextSize, Integer threads, Integer gpuLayers, Long keepAliveSeconds, Long seed) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null);
    }
}
