package dev.paddock.engine;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Installs, lists, tests, selects and removes llama.cpp engines. One install runs at a time on a home (a file
 * lock, across processes); an engine is registered only once it is complete, and becomes the default only if
 * it passed its smoke test.
 */
public final class EngineService implements AutoCloseable {
    /** What an install asks for. */
    public record InstallRequest(String source, String sha256, Backend backend, int jobs, boolean force) {}

    /** The installed engine, and whether it became the default. */
    public record Installed(Engine engine, boolean madeDefault, String previousDefault) {}

    private final EngineStore store;
    private final SourceFetch fetch;
    private final EngineInstaller installer;
    private final Clock clock;
    private final Function<String, List<String>> modelsUsing;

    /**
     * @param modelsUsing the loaded models an engine id serves (an engine that serves one cannot be removed)
     */
    public EngineService(EngineStore store, Path cacheDir, URI npmRegistry, Map<String, String> env, Clock clock,
            Function<String, List<String>> modelsUsing) {
        this.store = store;
        this.fetch = new SourceFetch(npmRegistry, cacheDir);
        this.installer = new EngineInstaller(fetch, cacheDir, env);
        this.clock = clock;
        this.modelsUsing = modelsUsing;
    }

    public EngineStore store() {
        return store;
    }

    public List<Engine> list() {
        return store.list();
    }

    public Optional<String> defaultId() {
        return store.defaultId();
    }

    public Installed install(InstallRequest r, InstallProgress progress) {
        EngineSource source = EngineSource.parse(r.source(), r.sha256());
        try {
            java.nio.file.Files.createDirectories(store.root());
        } catch (IOException e) {
            throw PaddockException.storage("cannot create " + store.root() + ": " + e.getMessage(), e);
        }
        try (FileChannel ch = FileChannel.open(store.root().resolve(".install.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = tryLock(ch)) {
            store.removeLeftovers();
            Path staging = store.newStaging();
            try {
                Path log = store.root().resolveSibling("logs").resolve("engine-install.log");
                java.nio.file.Files.createDirectories(log.getParent());
                java.nio.file.Files.write(log, new byte[0]);
                EngineInstaller.Assembled a = installer.assemble(source, r.backend(), r.jobs(), staging, log, progress);
                java.nio.file.Files.copy(log, staging.resolve("build.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Path server = staging.resolve("bin").resolve("llama-server");
                EngineVersion v = EngineVersion.of(server);
                String id = idFor(v, a.backend(), server);
                Optional<Engine> existing = store.find(id);
                if (existing.isPresent() && !r.force()) {
                    throw new PaddockException(ErrorCode.CONFLICT, "engine " + id + " is already installed (from "
                            + existing.get().source() + "); paddock engine test " + id + " checks it again, --force reinstalls it");
                }
                if (existing.isPresent() && !modelsUsing.apply(id).isEmpty()) {
                    throw inUse(id, "reinstalled");
                }
                progress.update("testing", 0, 0);
                Engine.SmokeResult smoke = SmokeTest.run(server, staging.resolve("scratch"), staging.resolve("smoke-test.log"), clock);
                EngineStore.deleteTree(staging.resolve("scratch"));
                Engine engine = new Engine(id, v.version(), v.commit(), a.backend().label(), a.buildFlags(),
                        EngineStore.sizeOf(staging.resolve("bin")), clock.instant().toString(), source.describe(), smoke);
                store.commit(staging, engine);
                Optional<String> before = store.defaultId();
                boolean makeDefault = smoke.passed() && (before.isEmpty() || before.get().equals(id)
                        || store.find(before.get()).map(e -> !e.usable()).orElse(true));
                if (makeDefault) {
                    store.setDefault(id);
                }
                return new Installed(engine, makeDefault, before.orElse(null));
            } finally {
                EngineStore.deleteTree(staging);
            }
        } catch (IOException e) {
            throw PaddockException.storage("cannot install an engine in " + store.root() + ": " + e.getMessage(), e);
        }
    }

    /** Runs the smoke test of an installed engine again and records the result. */
    public Engine test(String id) {
        Engine e = store.require(id);
        Path dir = store.folder(e.id());
        Engine.SmokeResult smoke = SmokeTest.run(store.server(e), dir.resolve("scratch"), dir.resolve("smoke-test.log"), clock);
        try {
            EngineStore.deleteTree(dir.resolve("scratch"));
        } catch (IOException ignored) {
            // a scratch model left behind; the next test replaces it
        }
        Engine tested = e.withSmokeTest(smoke);
        store.update(tested);
        return tested;
    }

    /** Makes the engine the default; one that failed its smoke test is refused. */
    public Engine use(String id) {
        Engine e = store.require(id);
        if (!e.usable()) {
            throw PaddockException.invalidInput("engine " + e.id() + " failed its smoke test ("
                    + (e.smokeTest() == null ? "never run" : e.smokeTest().detail()) + "), so it does not become the default;"
                    + " paddock engine test " + e.id() + " runs it again");
        }
        store.setDefault(e.id());
        return e;
    }

    /** Removes an engine no loaded model uses; returns the new default when the removed one was it. */
    public Optional<String> remove(String id) {
        Engine e = store.require(id);
        if (!modelsUsing.apply(e.id()).isEmpty()) {
            throw inUse(e.id(), "removed");
        }
        boolean wasDefault = store.defaultId().filter(e.id()::equals).isPresent();
        store.remove(e.id());
        if (!wasDefault) {
            return store.defaultId();
        }
        Optional<Engine> next = store.list().stream().filter(Engine::usable).findFirst();
        next.ifPresentOrElse(n -> store.setDefault(n.id()), store::clearDefault);
        return next.map(Engine::id);
    }

    private PaddockException inUse(String id, String verb) {
        List<String> models = modelsUsing.apply(id);
        return new PaddockException(ErrorCode.CONFLICT, "engine " + id + " serves " + String.join(", ", models)
                + ", so it cannot be " + verb + " now; stop " + (models.size() == 1 ? "it" : "them") + " first: paddock stop "
                + models.getFirst());
    }

    private static String idFor(EngineVersion v, Backend backend, Path server) {
        String base = v.commit() != null ? v.commit().substring(0, Math.min(7, v.commit().length()))
                : "custom-" + SourceFetch.sha256(server).substring(0, 8);
        return EngineId.check(base + "-" + backend.label());
    }

    private FileLock tryLock(FileChannel ch) throws IOException {
        try {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException sameProcess) {
            // another thread of this process holds it
        }
        throw new PaddockException(ErrorCode.CONFLICT, "another engine install is running on " + store.root()
                + "; wait for it to finish (one build at a time)");
    }

    @Override
    public void close() {
        fetch.close();
    }
}
