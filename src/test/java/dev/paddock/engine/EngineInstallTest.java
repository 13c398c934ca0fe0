package dev.paddock.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs that must fail cleanly, against real parts: a loopback npm registry serving real tarballs, real
 * cmake runs on small CMake projects, and real executables; each leaves no engine registered.
 */
class EngineInstallTest {
    @TempDir Path home;
    @TempDir Path cache;
    @TempDir Path files;

    private EngineService service(java.net.URI registry, Map<String, String> env) {
        return new EngineService(new EngineStore(home), cache, registry, env, Clock.systemUTC(), id -> List.of());
    }

    private static Map<String, String> env() {
        return new HashMap<>(System.getenv());
    }

    private void assertNothingRegistered() throws Exception {
        EngineStore store = new EngineStore(home);
        assertThat(store.list()).isEmpty();
        assertThat(store.defaultId()).isEmpty();
        try (var left = Files.list(home.resolve("engines"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".install.lock"))).isEmpty();
        }
    }

    @Test
    void aTarballThatDoesNotMatchTheRegistrysIntegrityHashIsRefusedAndNotKept() throws Exception {
        byte[] real = NpmRegistryServer.tarball(Map.of("package/llama/gitRelease.bundle", "a bundle".getBytes(StandardCharsets.UTF_8)));
        byte[] tampered = real.clone();
        tampered[tampered.length / 2] ^= 0x40;
        try (NpmRegistryServer npm = new NpmRegistryServer(); EngineService s = service(npm.uri(), env())) {
            npm.publish("some-llama", "1.0.0", real, tampered);

            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest("npm:some-llama@1.0.0", null, Backend.CPU, 2, false),
                    InstallProgress.NONE))
                    .isInstanceOf(PaddockException.class)
                    .hasMessageContaining("does not match the registry's integrity hash; it was deleted and nothing was installed");
            assertNothingRegistered();
            try (var kept = Files.list(cache.resolve("downloads"))) {
                assertThat(kept).isEmpty();
            }
        }
    }

    @Test
    void thePinnedReleaseIsRefusedWhenTheRegistryPublishesAnotherHashForIt() throws Exception {
        byte[] other = NpmRegistryServer.tarball(Map.of("package/README.md", "not llama.cpp".getBytes(StandardCharsets.UTF_8)));
        try (NpmRegistryServer npm = new NpmRegistryServer(); EngineService s = service(npm.uri(), env())) {
            npm.publish(EngineSource.PINNED_PACKAGE, EngineSource.PINNED_VERSION, other, other);

            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(null, null, Backend.CPU, 2, false), InstallProgress.NONE))
                    .hasMessageContaining("publishes a different integrity hash")
                    .hasMessageContaining("nothing was downloaded");
            assertThat(npm.requested).noneMatch(p -> p.endsWith(".tgz"));
            assertNothingRegistered();
        }
    }

    @Test
    void aMissingCompilerIsNamedWithItsInstallCommandBeforeAnythingIsFetched() throws Exception {
        Path bin = Files.createDirectories(files.resolve("bin"));
        for (String tool : List.of("cmake", "git")) {
            wrap(bin, tool);
        }
        Map<String, String> env = env();
        env.put("PATH", bin.toString());
        try (NpmRegistryServer npm = new NpmRegistryServer(); EngineService s = service(npm.uri(), env)) {
            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(null, null, Backend.CPU, 2, false), InstallProgress.NONE))
                    .isInstanceOf(PaddockException.class)
                    .hasMessage("cannot build llama.cpp: a C++ compiler (g++ or clang++) is missing; install with: sudo apt-get install g++"
                            + " (macOS: xcode-select --install && brew install cmake)");
            assertThat(npm.requested).isEmpty();
            assertNothingRegistered();
        }
    }

    @Test
    void aCudaBuildWithoutNvccSaysWhatToInstall() throws Exception {
        Path bin = Files.createDirectories(files.resolve("bin"));
        for (String tool : List.of("cmake", "g++", "git")) {
            wrap(bin, tool);
        }
        Map<String, String> env = env();
        env.put("PATH", bin.toString());
        if (Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"))) {
            return; // this machine has CUDA where the check looks for it
        }
        try (EngineService s = service(java.net.URI.create("http://127.0.0.1:9/"), env)) {
            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(null, null, Backend.CUDA, 2, false), InstallProgress.NONE))
                    .hasMessageContaining("CUDA's compiler nvcc is missing; install with: sudo apt-get install nvidia-cuda-toolkit");
        }
    }

    /** A PATH entry that runs the machine's own tool. */
    private static void wrap(Path bin, String tool) throws Exception {
        Path real = BuildTools.which(System.getenv(), tool).orElseThrow();
        Path p = bin.resolve(tool);
        Files.writeString(p, "#!/bin/sh\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    /** A folder that passes for llama.cpp's source, with the given CMakeLists.txt. */
    private Path sourceFolder(String cmakeLists) throws Exception {
        Path src = Files.createDirectories(files.resolve("llama.cpp"));
        Files.createDirectories(src.resolve("tools").resolve("server"));
        Files.writeString(src.resolve("CMakeLists.txt"), cmakeLists);
        return src;
    }

    @Test
    void aBuildThatFailsLeavesNothingRegisteredAndKeepsItsLog() throws Exception {
        Path src = sourceFolder("cmake_minimum_required(VERSION 3.14)\nproject(broken NONE)\nmessage(FATAL_ERROR \"this is no llama.cpp\")\n");
        try (EngineService s = service(java.net.URI.create("http://127.0.0.1:9/"), env())) {
            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(src.toString(), null, Backend.CPU, 2, false),
                    InstallProgress.NONE))
                    .hasMessageContaining("configuring llama.cpp failed (exit code 1); nothing was installed");
        }
        assertNothingRegistered();
        assertThat(Files.readString(home.resolve("logs").resolve("engine-install.log"))).contains("this is no llama.cpp");
    }

    @Test
    void anInterruptedBuildStopsItsCompilerAndLeavesNothingRegistered() throws Exception {
        Path marker = files.resolve("started");
        // the "compiler" says it reached 42 % as cmake's lines do, then works for five minutes
        Path slow = script("slow-compile.sh", "touch " + marker + "\necho '[ 42%] Building CXX object slow.o'\nexec sleep 300\n");
        Path src = sourceFolder("cmake_minimum_required(VERSION 3.14)\nproject(slow NONE)\n"
                + "add_custom_target(llama-server COMMAND " + slow + ")\n"
                + "add_custom_target(llama-bench COMMAND true)\n");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.CountDownLatch compiling = new java.util.concurrent.CountDownLatch(1);
        try (EngineService s = service(java.net.URI.create("http://127.0.0.1:9/"), env())) {
            Thread install = new Thread(() -> {
                try {
                    s.install(new EngineService.InstallRequest(src.toString(), null, Backend.CPU, 1, false), (stage, done, total) -> {
                        if (stage.equals("building") && done == 42) {
                            compiling.countDown();
                        }
                    });
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    compiling.countDown(); // an install that ended early must not leave the test waiting
                }
            });
            install.start();
            compiling.await(); // the build is in its compile step (or ended; the assertions below say which)
            assertThat(marker).as(String.valueOf(failure.get())).exists();
            install.interrupt();
            install.join();
        }
        assertThat(failure.get()).isInstanceOf(PaddockException.class).hasMessageContaining("interrupted; nothing was installed");
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("sleep 300"))
                .filter(ProcessHandle::isAlive).toList()).isEmpty();
        assertNothingRegistered();
    }

    private Path script(String name, String body) throws Exception {
        Path p = files.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void aPrebuiltEngineThatFailsItsSmokeTestIsListedAsFailedAndNeverBecomesTheDefault() throws Exception {
        Path broken = script("llama-server", "if [ \"$1\" = --version ]; then echo 'version: 7001 (abcdef1)'; exit 0; fi\n"
                + "echo 'error: illegal instruction'; exit 132\n");
        try (EngineService s = service(java.net.URI.create("http://127.0.0.1:9/"), env())) {
            EngineService.Installed done = s.install(new EngineService.InstallRequest(broken.toString(), null, Backend.CPU, 1, false),
                    InstallProgress.NONE);

            assertThat(done.engine().id()).isEqualTo("abcdef1-cpu");
            assertThat(done.engine().version()).isEqualTo("llama.cpp b7001");
            assertThat(done.engine().usable()).isFalse();
            assertThat(done.engine().smokeTest().detail()).contains("exited with code 132");
            assertThat(done.madeDefault()).isFalse();
            assertThat(s.defaultId()).isEmpty();
            assertThat(s.list()).extracting(Engine::id).containsExactly("abcdef1-cpu");
            assertThatThrownBy(() -> s.use("abcdef1-cpu")).hasMessageContaining("failed its smoke test")
                    .hasMessageContaining("does not become the default");
            assertThat(Files.readString(home.resolve("engines/abcdef1-cpu/smoke-test.log"))).contains("illegal instruction");
        }
    }

    @Test
    void aSourceTarballIsUnpackedIntoTheCacheBuiltWithCmakeAndSmokeTested() throws Exception {
        // a CMake project in llama.cpp's layout whose "build" makes a llama-server that says its version and nothing more
        String server = "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 7777 (1234abc)'; exit 0; fi\nexit 3\n";
        String cmake = "cmake_minimum_required(VERSION 3.14)\nproject(fake NONE)\n"
                + "add_custom_target(llama-server ALL COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/bin"
                + " COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/server.sh ${CMAKE_BINARY_DIR}/bin/llama-server)\n"
                + "add_custom_target(llama-bench COMMAND true)\n";
        Path tarball = files.resolve("llama.cpp-b7777.tar.gz");
        // the tar helper marks files named *llama-server executable; the build copies it under its real name
        String renamed = cmake.replace("server.sh", "server.llama-server");
        Files.write(tarball, NpmRegistryServer.tarball(Map.of("llama.cpp-b7777/CMakeLists.txt", renamed.getBytes(StandardCharsets.UTF_8),
                "llama.cpp-b7777/tools/server/README.md", "server".getBytes(StandardCharsets.UTF_8),
                "llama.cpp-b7777/server.llama-server", server.getBytes(StandardCharsets.UTF_8))));
        List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EngineService s = service(java.net.URI.create("http://127.0.0.1:9/"), env())) {
            EngineService.Installed done = s.install(new EngineService.InstallRequest(tarball.toString(), null, Backend.CPU, 1, false),
                    (stage, d, total) -> stages.add(stage));

            assertThat(done.engine().id()).isEqualTo("1234abc-cpu");
            assertThat(done.engine().buildFlags()).contains("-DBUILD_SHARED_LIBS=OFF");
            assertThat(done.engine().smokeTest().passed()).isFalse();
            assertThat(stages).contains("configuring", "building", "testing");
        }
        try (var builds = Files.list(cache.resolve("builds"))) {
            assertThat(builds.toList()).singleElement().satisfies(b -> assertThat(b.resolve("src/CMakeLists.txt")).exists());
        }
        assertThat(home.resolve("engines/1234abc-cpu/bin/llama-server")).isExecutable();
        assertThat(home.resolve("engines/1234abc-cpu/build.log")).content().contains("--target llama-server llama-bench");
    }

    @Test
    void aReleaseArchiveWithAnEntryOutsideItsFolderIsRefused() throws Exception {
        Path archive = files.resolve("llama-b7001-bin-ubuntu-x64.tar.gz");
        Files.write(archive, NpmRegistryServer.tarball(Map.of("build/bin/llama-server", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8),
                "../../escaped.txt", "x".getBytes(StandardCharsets.UTF_8))));
        try (EngineService s = service(java.net.URI.create("http://127.0.0.1:9/"), env())) {
            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(archive.toString(), null, Backend.CPU, 1, false),
                    InstallProgress.NONE))
                    .hasMessageContaining("has an entry that points outside its folder (../../escaped.txt)");
        }
        assertThat(home.resolveSibling("escaped.txt")).doesNotExist();
        assertThat(home.resolve("escaped.txt")).doesNotExist();
        assertNothingRegistered();
    }

    @Test
    void aPrebuiltEngineFromAUrlNeedsItsDigest() throws Exception {
        byte[] archive = NpmRegistryServer.tarball(Map.of("build/bin/llama-server", "#!/bin/sh\nexit 1\n".getBytes(StandardCharsets.UTF_8)));
        try (NpmRegistryServer web = new NpmRegistryServer(); EngineService s = service(web.uri(), env())) {
            web.publish("llama", "b7001", archive, archive);
            String url = web.uri().resolve("llama/-/llama-b7001.tgz").toString();

            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(url, null, Backend.CPU, 1, false), InstallProgress.NONE))
                    .hasMessageContaining("needs its published digest: add --sha256 HEX");
            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(url, "0".repeat(64), Backend.CPU, 1, false),
                    InstallProgress.NONE))
                    .hasMessageContaining("does not have SHA-256 " + "0".repeat(64));
        }
        assertNothingRegistered();
    }

    @Test
    void anInstallWhileAnotherRunsIsAConflict() throws Exception {
        Files.createDirectories(home.resolve("engines"));
        try (var ch = java.nio.channels.FileChannel.open(home.resolve("engines/.install.lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var held = ch.lock();
                EngineService s = service(java.net.URI.create("http://127.0.0.1:9/"), env())) {
            assertThatThrownBy(() -> s.install(new EngineService.InstallRequest(null, null, Backend.CPU, 1, false), InstallProgress.NONE))
                    .isInstanceOfSatisfying(PaddockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("another engine install is running");
        }
    }
}
