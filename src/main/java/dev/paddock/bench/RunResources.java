package dev.paddock.bench;

/**
 * What a run cost the machine. Local: the runner's peak resident memory (VmHWM), its GPU memory on NVIDIA
 * (nvidia-smi's compute apps) and the context it ran with. Remote: what the provider reports of the loaded
 * model (Ollama's /api/ps size and size_vram). Null means unknown, never zero.
 */
public record RunResources(Long peakRssBytes, Integer contextSize, Long gpuMemoryBytes, Long reportedBytes, Long reportedVramBytes) {
    public static RunResources local(Long peakRss, Integer context, Long gpuMemory) {
        return new RunResources(peakRss, context, gpuMemory, null, null);
    }

    public static final RunResources UNKNOWN = new RunResources(null, null, null, null, null);
}
