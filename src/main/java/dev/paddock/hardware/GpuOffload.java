package dev.paddock.hardware;

import dev.paddock.gguf.GgufFile;
import dev.paddock.gguf.TensorInfo;
import java.util.List;

/**
 * How many of a model's layers a GPU can hold, as llama.cpp splits them: each offloaded layer takes its
 * weights and its share of the KV cache to the GPU; the output layer goes last (with every layer), the
 * token embeddings stay on the CPU; the GPU also needs the compute buffer and the CUDA runtime's own
 * memory. Free memory is what the GPU reports free, so other processes' use is counted. A mixture-of-experts
 * model that does not fit whole is better split by its experts than by its layers: every layer's attention and
 * shared weights on the GPU, and the routed experts of the first N layers in CPU memory (llama.cpp's
 * {@code --n-cpu-moe N}), since a token reads only a few experts; {@code cpuMoeLayers} is that N when it fits.
 */
public record GpuOffload(GpuInfo gpu, int layers, int totalLayers, long gpuBytes, long freeBytes, Integer cpuMoeLayers) {
    /** CUDA context, cuBLAS workspace and allocator slack, per process. */
    static final long GPU_RUNTIME_BYTES = 400L << 20;

    public boolean full() {
        return layers > totalLayers;
    }

    /** The best split on the GPU with the most free memory, or null when there is no GPU with known free memory. */
    public static GpuOffload plan(GgufFile file, MemoryEstimate e, List<GpuInfo> gpus) {
        GpuInfo best = gpus.stream().filter(g -> g.memoryFreeBytes() != null && !g.unifiedMemory())
                .max(java.util.Comparator.comparing(GpuInfo::memoryFreeBytes)).orElse(null);
        if (best == null) {
            return null;
        }
        int layers = file.facts().blockCount() == null ? 0 : (int) (long) file.facts().blockCount();
        long layerWeights = 0;
        long output = 0;
        for (TensorInfo t : file.tensors()) {
            if (t.name().startsWith("blk.")) {
                layerWeights += t.sizeBytes();
            } else if (t.name().startsWith("output")) {
                output += t.sizeBytes();
            }
        }
        long perLayer = layers == 0 ? 0 : (layerWeights + e.kvCacheBytes()) / layers;
        long fixed = GPU_RUNTIME_BYTES + e.computeWorstCaseBytes();
        long free = best.memoryFreeBytes();
        if (free <= fixed || perLayer == 0) {
            return new GpuOffload(best, 0, layers, 0, free, null);
        }
        int n = (int) Math.min(layers, (free - fixed) / perLayer);
        long used = fixed + n * perLayer;
        if (n == layers && used + output <= free) {
            return new GpuOffload(best, layers + 1, layers, used + output, free, null); // llama.cpp's -ngl N+1: output too
        }
        if (file.facts().mixtureOfExperts() && layers > 0) {
            long experts = file.facts().expertBytes();
            long expertsPerLayer = experts / layers;
            long dense = fixed + layerWeights - experts + e.kvCacheBytes() + output; // all of it but the experts
            for (int cpu = 0; cpu <= layers; cpu++) {
                long onGpu = dense + expertsPerLayer * (layers - cpu);
                if (onGpu <= free) {
                    return new GpuOffload(best, layers + 1, layers, onGpu, free, cpu);
                }
            }
        }
        return new GpuOffload(best, n, layers, n == 0 ? 0 : used, free, null);
    }

    public String describe() {
        if (cpuMoeLayers != null) {
            return "fits on " + gpu.name() + " with the experts of " + cpuMoeLayers + " of " + totalLayers + " layers in CPU memory ("
                    + mib(gpuBytes) + " of " + mib(freeBytes) + " free; GPU layers all, --n-cpu-moe " + cpuMoeLayers + ")";
        }
        if (full()) {
            return "fits fully on " + gpu.name() + " (" + mib(gpuBytes) + " of " + mib(freeBytes) + " free; GPU layers "
                    + layers + ")";
        }
        if (layers > 0) {
            return "fits with " + layers + " of " + totalLayers + " layers on " + gpu.name() + " (" + mib(gpuBytes) + " of "
                    + mib(freeBytes) + " free), the rest on the CPU";
        }
        return "no layer fits on " + gpu.name() + " (" + mib(freeBytes) + " free)";
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
