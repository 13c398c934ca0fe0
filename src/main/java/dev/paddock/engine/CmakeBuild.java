package dev.paddock.engine;

import dev.paddock.error.PaddockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configures and builds llama-server and llama-bench with CMake, statically linked (the two binaries move into
 * the engine's folder with nothing beside them), reporting cmake's {@code [ NN%]} lines as progress. The build
 * folder lives in the cache, so a rebuild of the same source only compiles what changed.
 */
final class CmakeBuild {
    static final List<String> FLAGS = List.of("-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF",
            "-DLLAMA_USE_PREBUILT_UI=OFF", "-DLLAMA_OPENSSL=OFF", "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF",
            "-DLLAMA_BUILD_EXAMPLES=OFF");
    private static final Pattern PERCENT = Pattern.compile("^\\[\\s*(\\d{1,3})%]");

    private CmakeBuild() {}

    static List<String> flags(Backend backend) {
        List<String> f = new ArrayList<>(FLAGS);
        f.addAll(backend.cmakeFlags());
        return f;
    }

    /** Builds {@code source} into {@code buildDir}; returns the folder holding the binaries. */
    static Path build(BuildTools tools, Path source, Path buildDir, Backend backend, int jobs, Path log, InstallProgress progress) {
        var env = tools.buildEnv(backend);
        List<String> configure = new ArrayList<>(List.of(tools.cmake().toString(), "-S", source.toString(), "-B", buildDir.toString()));
        configure.addAll(flags(backend));
        progress.update("configuring", 0, 100);
        int code = ChildProcess.run(configure, source, env, log, line -> {});
        if (code != 0) {
            throw failed("configuring", code, log);
        }
        List<String> build = List.of(tools.cmake().toString(), "--build", buildDir.toString(), "--config", "Release",
                "-j", String.valueOf(Math.max(1, jobs)), "--target", "llama-server", "llama-bench");
        int[] last = {0};
        code = ChildProcess.run(build, source, env, log, line -> {
            Matcher m = PERCENT.matcher(line);
            if (m.find()) {
                int pct = Math.min(100, Integer.parseInt(m.group(1)));
                if (pct >= last[0]) { // two targets: cmake's percentages can step back between them
                    last[0] = pct;
                    progress.update("building", pct, 100);
                }
            }
        });
        if (code != 0) {
            throw failed("building", code, log);
        }
        Path bin = buildDir.resolve("bin");
        if (!Files.isExecutable(bin.resolve("llama-server"))) {
            throw PaddockException.invalidInput("the build finished but made no bin/llama-server in " + buildDir
                    + "; is this llama.cpp's source? (log: " + log + ")");
        }
        progress.update("building", 100, 100);
        return bin;
    }

    private static PaddockException failed(String step, int code, Path log) {
        return PaddockException.invalidInput(step + " llama.cpp failed (exit code " + code + "); nothing was installed."
                + " The last lines of " + log + " say why");
    }
}
