package dev.paddock.engine;

import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Puts an engine's binaries into a staging folder's {@code bin/}, from any source: builds the pinned npm
 * release, a source folder or a source tarball with CMake (in the cache, reused by later builds of the same
 * source), or copies a prebuilt binary or release archive (checked against its SHA-256).
 */
final class EngineInstaller {
    /** The binaries are in {@code staging/bin}; {@code buildFlags} are empty for a prebuilt engine. */
    record Assembled(List<String> buildFlags, Backend backend) {}

    private static final String BUNDLE = "package/llama/gitRelease.bundle";

    private final SourceFetch fetch;
    private final Path cacheDir;
    private final Map<String, String> env;

    EngineInstaller(SourceFetch fetch, Path cacheDir, Map<String, String> env) {
        this.fetch = fetch;
        this.cacheDir = cacheDir;
        this.env = env;
    }

    /** @param log the install's log (kept when the install fails, to say why) */
    Assembled assemble(EngineSource source, Backend backend, int jobs, Path staging, Path log, InstallProgress progress)
            throws IOException {
        return switch (source) {
            case EngineSource.Npm npm -> {
                BuildTools tools = BuildTools.find(env, backend, true); // before the download: say what is missing at once
                Path tarball = fetch.npmTarball(npm, progress);
                Path work = workDir(npm.describe() + "|" + npm.integrity(), backend);
                Path src = work.resolve("src");
                if (!Files.isRegularFile(src.resolve(".paddock-complete"))) {
                    unbundle(tools, tarball, work, log, progress);
                }
                yield built(tools, src, work, backend, jobs, staging, log, progress);
            }
            case EngineSource.SourceFolder folder -> {
                BuildTools tools = BuildTools.find(env, backend, false);
                yield built(tools, folder.folder(), workDir(folder.describe(), backend), backend, jobs, staging, log, progress);
            }
            case EngineSource.Archive archive -> fromFile(archive, backend, jobs, staging, log, progress);
        };
    }

    private Assembled fromFile(EngineSource.Archive a, Backend backend, int jobs, Path staging, Path log, InstallProgress progress)
            throws IOException {
        Path file = a.remote() ? fetch.url(a.location(), a.sha256(), progress) : Path.of(a.location());
        String digest = SourceFetch.sha256(file);
        if (a.sha256() != null && !a.sha256().equals(digest)) {
            throw PaddockException.invalidInput(a.location() + " does not have SHA-256 " + a.sha256() + " (it has " + digest
                    + "); nothing was installed");
        }
        if (!Unpacker.isArchive(file)) { // a llama-server binary
            if (!Files.isExecutable(file)) {
                throw PaddockException.invalidInput(file + " is neither an archive (.tar.gz, .tgz, .zip) nor an executable"
                        + " llama-server; give a llama.cpp source folder, a release archive or a llama-server binary");
            }
            requirePinnedIfRemote(a);
            copyBinaries(file.getParent(), file, staging);
            return new Assembled(List.of(), backend);
        }
        Path unpacked = staging.resolve("unpacked");
        Unpacker.unpack(file, unpacked);
        Optional<Path> sourceRoot = find(unpacked, p -> p.getFileName().toString().equals("CMakeLists.txt")
                && Files.isDirectory(p.resolveSibling("tools").resolve("server"))).map(Path::getParent);
        if (sourceRoot.isPresent()) {
            BuildTools tools = BuildTools.find(env, backend, false);
            Path work = workDir("sha256:" + digest, backend);
            Path src = work.resolve("src");
            if (!Files.isRegularFile(src.resolve(".paddock-complete"))) {
                EngineStore.deleteTree(src);
                Files.createDirectories(work);
                Files.move(sourceRoot.get(), src);
                Files.writeString(src.resolve(".paddock-complete"), digest + "\n");
            }
            EngineStore.deleteTree(unpacked);
            return built(tools, src, work, backend, jobs, staging, log, progress);
        }
        Path server = find(unpacked, p -> p.getFileName().toString().equals("llama-server") && Files.isRegularFile(p))
                .orElseThrow(() -> PaddockException.invalidInput(file.getFileName() + " holds neither llama.cpp's source nor a"
                        + " llama-server binary; nothing was installed"));
        requirePinnedIfRemote(a);
        copyBinaries(server.getParent(), server, staging);
        EngineStore.deleteTree(unpacked);
        return new Assembled(List.of(), backendOf(staging.resolve("bin"), backend));
    }

    private static void requirePinnedIfRemote(EngineSource.Archive a) {
        if (a.remote() && a.sha256() == null) {
            throw PaddockException.invalidInput("a prebuilt engine from a URL runs on this machine, so it needs its published"
                    + " digest: add --sha256 HEX; nothing was installed");
        }
    }

    private Assembled built(BuildTools tools, Path src, Path work, Backend backend, int jobs, Path staging, Path log,
            InstallProgress progress) throws IOException {
        Path bin = CmakeBuild.build(tools, src, work.resolve("build"), backend, jobs, log, progress);
        copyBinaries(bin, bin.resolve("llama-server"), staging);
        return new Assembled(CmakeBuild.flags(backend), backend);
    }

    /** Unpacks the git bundle the npm package carries into {@code work/src}, marked complete only at the end. */
    private static void unbundle(BuildTools tools, Path tarball, Path work, Path log, InstallProgress progress) throws IOException {
        progress.update("unpacking", 0, 0);
        Path bundle = work.resolve("gitRelease.bundle");
        Files.createDirectories(work);
        if (!Unpacker.extractOne(tarball, BUNDLE, bundle)) {
            throw PaddockException.invalidInput(tarball.getFileName() + " carries no " + BUNDLE + "; it is not a package that"
                    + " holds llama.cpp's source");
        }
        Path src = work.resolve("src");
        EngineStore.deleteTree(src);
        int code = ChildProcess.run(List.of(tools.git().toString(), "clone", "--quiet", bundle.toString(), src.toString()), work,
                tools.buildEnv(Backend.CPU), log, line -> {});
        if (code != 0) {
            throw PaddockException.invalidInput("git could not unpack the llama.cpp bundle of " + tarball.getFileName()
                    + " (exit code " + code + "; log: " + log + ")");
        }
        Files.deleteIfExists(bundle);
        Files.writeString(src.resolve(".paddock-complete"), tarball.getFileName() + "\n");
    }

    /** The cache folder of one source and backend: a rebuild of the same source compiles only what changed. */
    private Path workDir(String sourceIdentity, Backend backend) {
        String key;
        try {
            key = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest((sourceIdentity + "|" + backend + "|" + CmakeBuild.flags(backend)).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return cacheDir.resolve("builds").resolve(key + "-" + backend.label());
    }

    /** llama-server and llama-bench, and for a prebuilt engine the shared libraries beside them. */
    private static void copyBinaries(Path from, Path server, Path staging) throws IOException {
        Path bin = Files.createDirectories(staging.resolve("bin"));
        Files.copy(server, bin.resolve("llama-server"), StandardCopyOption.REPLACE_EXISTING);
        bin.resolve("llama-server").toFile().setExecutable(true);
        Path bench = from.resolve("llama-bench");
        if (Files.isExecutable(bench)) {
            Files.copy(bench, bin.resolve("llama-bench"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> libs = Files.list(from)) {
            for (Path lib : libs.filter(p -> p.getFileName().toString().contains(".so") || p.getFileName().toString().endsWith(".dylib"))
                    .toList()) {
                Files.copy(lib, bin.resolve(lib.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Backend backendOf(Path bin, Backend asked) throws IOException {
        try (Stream<Path> files = Files.list(bin)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            if (names.stream().anyMatch(n -> n.contains("ggml-cuda"))) {
                return Backend.CUDA;
            }
            if (names.stream().anyMatch(n -> n.contains("ggml-vulkan"))) {
                return Backend.VULKAN;
            }
        }
        return asked;
    }

    private static Optional<Path> find(Path root, java.util.function.Predicate<Path> test) throws IOException {
        try (Stream<Path> walk = Files.walk(root, 4)) {
            return walk.filter(test).min(java.util.Comparator.comparingInt(Path::getNameCount));
        }
    }
}
