package dev.paddock.app;

import dev.paddock.config.PaddockConfig;
import dev.paddock.config.Setting;
import dev.paddock.runner.KeepAlive;
import dev.paddock.runner.RunnerDefaults;
import java.time.Duration;

/** The runner.* settings as the supervisor wants them. */
final class RunnerConfig {
    private RunnerConfig() {}

    private static String llamaServer(String path) {
        if (path.isBlank()) {
            return "";
        }
        java.nio.file.Path p = java.nio.file.Path.of(path);
        if (!java.nio.file.Files.isExecutable(p)) {
            throw dev.paddock.error.PaddockException.invalidInput("runner.llama_server is " + path
                    + ", which is not an executable file; point it at llama.cpp's llama-server binary");
        }
        return p.toAbsolutePath().toString();
    }

    static RunnerDefaults defaults(PaddockConfig c) {
        int threads = c.integer(Setting.RUNNER_THREADS);
        long timeout = KeepAlive.parseSeconds(c.get(Setting.RUNNER_START_TIMEOUT));
        return new RunnerDefaults(
                Math.max(16, c.integer(Setting.RUNNER_CONTEXT)),
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
                Math.max(1, c.integer(Setting.RUNNER_BATCH)),
                Math.max(0, c.integer(Setting.RUNNER_GPU_LAYERS)),
                KeepAlive.parseSeconds(c.get(Setting.RUNNER_KEEP_ALIVE)),
                Math.max(1, c.integer(Setting.RUNNER_MAX_LOADED)),
                Duration.ofSeconds(timeout < 0 ? 3600 : Math.max(1, timeout)),
                llamaServer(c.get(Setting.RUNNER_LLAMA_SERVER)));
    }
}
