package dev.paddock.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a runner loads its model: passed to the child as command-line flags (never the access token,
 * which goes through stdin).
 *
 * @param projector the model's multimodal projector, which llama-server loads with {@code --mmproj}; null for none
 */
public record RunnerSettings(
        Path modelPath,
        String modelName,
        int contextSize,
        int threads,
        int batchSize,
        int gpuLayers,
        long seed,
        long keepAliveSeconds,
        long parentPid,
        String llamaServer,
        int parallel,
        Path logFile,
        List<String> engineArgs,
        String kvType,
        String flashAttn,
        Path projector) {

    public static final int DEFAULT_CONTEXT = 2048;
    public static final int DEFAULT_BATCH = 512;
    /** GPU layers: as many as the engine fits on the GPU, or every one. */
    public static final int GPU_AUTO = -1;
    public static final int GPU_ALL = -2;

    public RunnerSettings {
        if (contextSize < 16 || threads < 1 || batchSize < 1 || gpuLayers < GPU_ALL || parallel < 1) {
            throw new IllegalArgumentException("invalid runner settings");
        }
        engineArgs = List.copyOf(engineArgs);
    }

    /** Whether the user's llama-server binary serves the model instead of the embedded engine. */
    public boolean usesLlamaServer() {
        return llamaServer != null && !llamaServer.isBlank();
    }

    List<String> toArgs() {
        List<String> a = new ArrayList<>();
        a.addAll(List.of("--model", modelPath.toString(), "--name", modelName, "--ctx", String.valueOf(contextSize),
                "--threads", String.valueOf(threads), "--batch", String.valueOf(batchSize),
                "--gpu-layers", String.valueOf(gpuLayers), "--seed", String.valueOf(seed),
                "--keep-alive", String.valueOf(keepAliveSeconds), "--parent-pid", String.valueOf(parentPid)));
        if (usesLlamaServer()) {
            a.addAll(List.of("--llama-server", llamaServer, "--parallel", String.valueOf(parallel), "--kv-type", kvType,
                    "--flash-attn", flashAttn));
            if (!engineArgs.isEmpty()) {
                a.addAll(List.of("--engine-args", String.join("\u001f", engineArgs))); // a separator no argument contains
            }
            if (projector != null) {
                a.addAll(List.of("--mmproj", projector.toString()));
            }
        }
        if (logFile != null) {
            a.addAll(List.of("--log", logFile.toString()));
        }
        return a;
    }

    static RunnerSettings fromArgs(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i], args[i + 1]);
        }
        return new RunnerSettings(Path.of(m.get("--model")), m.get("--name"), Integer.parseInt(m.get("--ctx")),
                Integer.parseInt(m.get("--threads")), Integer.parseInt(m.get("--batch")),
                Integer.parseInt(m.get("--gpu-layers")), Long.parseLong(m.get("--seed")),
                Long.parseLong(m.get("--keep-alive")), Long.parseLong(m.get("--parent-pid")), m.get("--llama-server"),
                Integer.parseInt(m.getOrDefault("--parallel", "1")), m.containsKey("--log") ? Path.of(m.get("--log")) : null,
                m.containsKey("--engine-args") ? List.of(m.get("--engine-args").split("\u001f")) : List.of(),
                m.getOrDefault("--kv-type", "f16"), m.getOrDefault("--flash-attn", "auto"),
                m.containsKey("--mmproj") ? Path.of(m.get("--mmproj")) : null);
    }
}
