package dev.paddock.app;

import dev.paddock.config.PaddockConfig;
import dev.paddock.config.Setting;
import dev.paddock.engine.Engine;
import dev.paddock.engine.EngineStore;
import dev.paddock.error.PaddockException;
import dev.paddock.runner.KeepAlive;
import dev.paddock.runner.RunnerDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The runner.* settings as the supervisor wants them, with the engine that serves local models. */
final class RunnerConfig {
    private RunnerConfig() {}

    /** runner.llama_server when set, else the default installed engine, else null (the embedded engine). */
    static RunnerDefaults.EngineBinary engine(PaddockConfig c, EngineStore engines) {
        String path = c.get(Setting.RUNNER_LLAMA_SERVER);
        if (!path.isBlank()) {
            Path p = Path.of(path);
            if (!Files.isExecutable(p)) {
                throw PaddockException.invalidInput("runner.llama_server is " + path
                        + ", which is not an executable file; point it at llama.cpp's llama-server binary");
            }
            return new RunnerDefaults.EngineBinary(p.toAbsolutePath().toString(), null, "llama-server (" + p.toAbsolutePath() + ")");
        }
        return engines.defaultEngine().filter(Engine::usable).map(x -> binary(engines, x)).orElse(null);
    }

    static RunnerDefaults.EngineBinary binary(EngineStore engines, Engine e) {
        return new RunnerDefaults.EngineBinary(engines.server(e).toString(), e.id(), e.version() + " (engine " + e.id() + ")");
    }

    /** auto → {@link dev.paddock.runner.RunnerSettings#GPU_AUTO}, all → {@link dev.paddock.runner.RunnerSettings#GPU_ALL}, else a count. */
    private static int gpuLayers(String v) {
        String s = v.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) {
            return dev.paddock.runner.RunnerSettings.GPU_AUTO;
        }
        if (s.equals("all")) {
            return dev.paddock.runner.RunnerSettings.GPU_ALL;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw PaddockException.invalidInput("runner.gpu_layers must be auto, all or a number of layers (0: CPU only), not \"" + v + "\"");
    }

    private static String flashAttn(String v) {
        String s = v.strip().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.List.of("auto", "on", "off").contains(s)) {
            throw PaddockException.invalidInput("runner.flash_attn must be auto, on or off, not \"" + v + "\"");
        }
        return s;
    }

    static RunnerDefaults defaults(PaddockConfig c, EngineStore engines) {
        var kv = dev.paddock.hardware.KvCacheType.parse(c.get(Setting.RUNNER_KV_TYPE));
        if (kv != dev.paddock.hardware.KvCacheType.F16 && flashAttn(c.get(Setting.RUNNER_FLASH_ATTN)).equals("off")) {
            throw PaddockException.invalidInput("runner.kv_type " + c.get(Setting.RUNNER_KV_TYPE) + " needs flash attention;"
                    + " set runner.flash_attn to auto or on, or runner.kv_type to f16");
        }
        int threads = c.integer(Setting.RUNNER_THREADS);
        long timeout = KeepAlive.parseSeconds(c.get(Setting.RUNNER_START_TIMEOUT));
        return new RunnerDefaults(
                Math.max(16, c.integer(Setting.RUNNER_CONTEXT)),
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
                Math.max(1, c.integer(Setting.RUNNER_BATCH)),
                gpuLayers(c.get(Setting.RUNNER_GPU_LAYERS)),
                KeepAlive.parseSeconds(c.get(Setting.RUNNER_KEEP_ALIVE)),
                Math.max(1, c.integer(Setting.RUNNER_MAX_LOADED)),
                Duration.ofSeconds(timeout < 0 ? 3600 : Math.max(1, timeout)),
                engine(c, engines),
                Math.max(1, c.integer(Setting.RUNNER_PARALLEL)),
                java.util.Arrays.stream(c.get(Setting.RUNNER_ENGINE_ARGS).strip().split("\\s+")).filter(a -> !a.isEmpty()).toList(),
                dev.paddock.hardware.KvCacheType.parse(c.get(Setting.RUNNER_KV_TYPE)), flashAttn(c.get(Setting.RUNNER_FLASH_ATTN)));
    }
}
