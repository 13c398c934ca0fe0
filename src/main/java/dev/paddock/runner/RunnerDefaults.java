package dev.paddock.runner;

import java.time.Duration;

/**
 * Settings every runner starts with unless a request says otherwise (from the config's runner.* keys).
 * {@code engine} is the llama-server that serves local models, or null for the embedded engine.
 */
public record RunnerDefaults(int contextSize, int threads, int batchSize, int gpuLayers, long keepAliveSeconds,
        int maxLoaded, Duration startTimeout, EngineBinary engine, int parallel, java.util.List<String> engineArgs,
        dev.paddock.hardware.KvCacheType kvType, String flashAttn) {

    public RunnerDefaults {
        parallel = Math.max(1, parallel);
        engineArgs = java.util.List.copyOf(engineArgs);
        kvType = kvType == null ? dev.paddock.hardware.KvCacheType.F16 : kvType;
        flashAttn = flashAttn == null ? "auto" : flashAttn;
    }

    public RunnerDefaults(int contextSize, int threads, int batchSize, int gpuLayers, long keepAliveSeconds, int maxLoaded,
            Duration startTimeout) {
        this(contextSize, threads, batchSize, gpuLayers, keepAliveSeconds, maxLoaded, startTimeout, null, 1, java.util.List.of(), null, null);
    }

    /** A llama-server binary: an installed engine (its id) or the user's own (id null). */
    public record EngineBinary(String path, String id, String label) {}

    /**
     * Per-model choices for one load; nulls fall back to the defaults. {@code engine}: an installed engine's id, or
     * {@link #EMBEDDED}, instead of the default engine; {@code embeddings}: the model must also answer embeddings.
     */
    public record Overrides(Integer contextSize, Integer threads, Integer gpuLayers, Long keepAliveSeconds, Long seed, String engine,
            boolean embeddings) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null);
        public static final String EMBEDDED = "embedded";

        public Overrides(Integer contextSize, Integer threads, Integer gpuLayers, Long keepAliveSeconds, Long seed, String engine) {
            this(contextSize, threads, gpuLayers, keepAliveSeconds, seed, engine, false);
        }

        /** These choices with the embeddings endpoint on (llama-server's --embeddings; chat still works on such a runner). */
        public Overrides withEmbeddings() {
            return new Overrides(contextSize, threads, gpuLayers, keepAliveSeconds, seed, engine, true);
        }

        public Overrides(Integer contextSize, Integer threads, Integer gpuLayers, Long keepAliveSeconds, Long seed) {
            this(contextSize, threads, gpuLayers, keepAliveSeconds, seed, null);
        }
    }
}
