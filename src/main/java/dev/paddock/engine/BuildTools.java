package dev.paddock.engine;

import dev.paddock.error.PaddockException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The programs a build needs, found on the PATH before anything is fetched, so a missing one is named in one
 * line with the command that installs it instead of failing minutes into a build.
 */
record BuildTools(Path cmake, Path cxx, Path git, Map<String, String> env) {

    /** Finds cmake, a C++ compiler, git (for a git bundle) and, per backend, nvcc or glslc; throws naming what is missing. */
    static BuildTools find(Map<String, String> env, Backend backend, boolean needsGit) {
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        Optional<Path> cmake = which(env, "cmake");
        if (cmake.isEmpty()) {
            missing.add("cmake");
            packages.add("cmake");
        }
        Optional<Path> cxx = which(env, "c++").or(() -> which(env, "g++")).or(() -> which(env, "clang++"));
        if (cxx.isEmpty()) {
            missing.add("a C++ compiler (g++ or clang++)");
            packages.add("g++");
        }
        Optional<Path> git = which(env, "git");
        if (needsGit && git.isEmpty()) {
            missing.add("git (to unpack the source bundle)");
            packages.add("git");
        }
        if (backend == Backend.CUDA && which(env, "nvcc").isEmpty()
                && !Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"))) {
            missing.add("CUDA's compiler nvcc");
            packages.add("nvidia-cuda-toolkit");
        }
        if (backend == Backend.VULKAN && which(env, "glslc").isEmpty()) {
            missing.add("the Vulkan shader compiler glslc and Vulkan headers");
            packages.add("glslc libvulkan-dev");
        }
        if (!missing.isEmpty()) {
            throw PaddockException.invalidInput("cannot build llama.cpp: " + String.join(", ", missing) + " "
                    + (missing.size() == 1 ? "is" : "are") + " missing; install with: sudo apt-get install " + String.join(" ", packages)
                    + " (macOS: xcode-select --install && brew install cmake)");
        }
        return new BuildTools(cmake.get(), cxx.get(), git.orElse(null), env);
    }

    /** The environment builds run in: the caller's, with nvcc's usual folder on the PATH for CUDA. */
    Map<String, String> buildEnv(Backend backend) {
        Map<String, String> e = new java.util.HashMap<>(env);
        if (backend == Backend.CUDA && Files.isDirectory(Path.of("/usr/local/cuda/bin"))) {
            e.put("PATH", e.getOrDefault("PATH", "") + File.pathSeparator + "/usr/local/cuda/bin");
        }
        e.put("CXX", cxx.toString());
        return e;
    }

    static Optional<Path> which(Map<String, String> env, String program) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
