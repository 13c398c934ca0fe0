package dev.paddock.runner;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.gguf.LoadChecks;
import dev.paddock.gguf.GgufReader;
import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts, finds, stops and watches runner processes, one per loaded model. Runners are recorded in
 * {@code runners/} so every Paddock command reuses them; each exits by itself after its keep-alive, and
 * one started for a server also when the server is gone.
 */
public final class RunnerSupervisor implements AutoCloseable {
    private final Path home;
    /** Read at each start: an engine installed or chosen meanwhile (by any process) serves the next load. */
    private final java.util.function.Supplier<RunnerDefaults> defaults;
    private final GgufReader reader;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final boolean attached;
    private final RunnerRegistry registry;
    /** A runner found alive and healthy at {@code atNanos}; trusted without a new check for {@link #RECHECK_NANOS}. */
    private record Verified(LoadedRunner runner, long atNanos) {}

    private static final long RECHECK_NANOS = 10_000_000_000L;
    /** llama-server's flag that turns its embeddings endpoint on; a runner started with it also serves chat. */
    static final String EMBEDDINGS = "--embeddings";
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpClient http; // on first use: most commands never check a runner's health

    private synchronized HttpClient http() {
        if (http == null) { // runners speak plain HTTP on loopback: a context without trust material spares the trust store
            try {
                javax.net.ssl.SSLContext none = javax.net.ssl.SSLContext.getInstance("TLS");
                none.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(none).build();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return http;
    }
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> startLocks =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param attached whether runners die with this process (a server) rather than outlive it (a CLI command)
     */
    public RunnerSupervisor(Path home, RunnerDefaults defaults, GgufReader reader, Clock clock,
            Consumer<String> warnings, boolean attached) {
        this(home, () -> defaults, reader, clock, warnings, attached);
    }

    public RunnerSupervisor(Path home, java.util.function.Supplier<RunnerDefaults> defaults, GgufReader reader, Clock clock,
            Consumer<String> warnings, boolean attached) {
        this.home = home;
        this.defaults = defaults;
        this.reader = reader;
        this.clock = clock;
        this.warnings = warnings;
        this.attached = attached;
        this.registry = new RunnerRegistry(home.resolve("runners"));
    }

    public record Loaded(LoadedRunner runner, boolean started, Duration loadTime) {}

    /** The model's runner, started if none is alive; a crashed one is reported and replaced. */
    public Loaded ensureRunning(ModelName name, ModelStore.Installed files, RunnerDefaults.Overrides o) {
        return ensure(name, files, o, false);
    }

    /**
     * As {@link #ensureRunning}, and counts the caller among the requests the runner serves until it calls
     * {@link #release}: a reload or a requested unload waits for them, even for one not yet sent to the engine.
     */
    public Loaded acquire(ModelName name, ModelStore.Installed files, RunnerDefaults.Overrides o) {
        return ensure(name, files, o, true);
    }

    public void release(LoadedRunner r) {
        AtomicInteger n = serving.get(r.pid());
        if (n != null) {
            n.decrementAndGet();
        }
    }

    /** Requests of this process that each runner (by pid) is serving or about to serve. */
    private final java.util.concurrent.ConcurrentHashMap<Long, AtomicInteger> serving = new java.util.concurrent.ConcurrentHashMap<>();

    private AtomicInteger serving(LoadedRunner r) {
        return serving.computeIfAbsent(r.pid(), k -> new AtomicInteger());
    }

    private Loaded ensure(ModelName name, ModelStore.Installed files, RunnerDefaults.Overrides o, boolean count) {
        Verified v = verified.get(name.toString());
        if (v != null && System.nanoTime() - v.atNanos() < RECHECK_NANOS && v.runner().holds(files)
                && v.runner().suits(o) && v.runner().alive()) {
            if (!count) {
                return new Loaded(v.runner(), false, Duration.ZERO); // checked moments ago: no lock, file or health request per request
            }
            serving(v.runner()).incrementAndGet();
            if (verified.get(name.toString()) == v) { // a reload, which first takes the runner out of here, now counts this one
                return new Loaded(v.runner(), false, Duration.ZERO);
            }
            serving(v.runner()).decrementAndGet(); // a reload began meanwhile: wait for it below
        }
        // threads of this process take turns first: a file lock is held per process, not per thread
        java.util.concurrent.locks.ReentrantLock local = startLock(name);
        local.lock();
        try {
            Loaded l = ensureRunningLocked(name, files, o);
            if (count) {
                serving(l.runner()).incrementAndGet(); // under the lock: a reload waiting for it sees this request
            }
            return l;
        } finally {
            local.unlock();
        }
    }

    private java.util.concurrent.locks.ReentrantLock startLock(ModelName name) {
        return startLocks.computeIfAbsent(name.toString(), k -> new java.util.concurrent.locks.ReentrantLock());
    }

    /** Resolves an engine id of a load's overrides to its binary (empty: no such usable engine); set by the app. */
    private volatile java.util.function.Function<String, Optional<RunnerDefaults.EngineBinary>> engineById = id -> Optional.empty();

    public RunnerSupervisor withEngines(java.util.function.Function<String, Optional<RunnerDefaults.EngineBinary>> byId) {
        this.engineById = byId;
        return this;
    }

    private Loaded ensureRunningLocked(ModelName name, ModelStore.Installed files, RunnerDefaults.Overrides o) {
        try {
            registry.ensureDir(registry.lockFile(name).getParent());
            try (FileChannel ch = FileChannel.open(registry.lockFile(name), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                Optional<LoadedRunner> existing = registry.read(name);
                if (existing.isPresent()) {
                    LoadedRunner r = existing.get();
                    boolean suits = r.suits(o);
                    if (r.alive() && r.holds(files) && suits && healthy(r)) {
                        verified.put(name.toString(), new Verified(r, System.nanoTime()));
                        return new Loaded(r, false, Duration.ZERO);
                    }
                    if (r.alive() && !suits) {
                        warnings.accept("reloading " + name + " with " + String.join(" and ", java.util.stream.Stream.of(
                                o.contextSize() != null ? "context " + o.contextSize()
                                        : r.contextSize() < r.defaultContext() ? "its default context " + r.defaultContext() : null,
                                o.threads() == null ? null : o.threads() + " threads",
                                o.engine() == null ? null : "engine " + o.engine(),
                                o.embeddings() && !r.embeddings() ? "embeddings on" : null).filter(java.util.Objects::nonNull).toList())
                                + " (it was loaded with context " + r.contextSize() + ", " + r.threads() + " threads, engine "
                                + (r.engineId() == null ? "embedded" : r.engineId()) + ")");
                        verified.remove(name.toString()); // new requests now wait on this lock for the reloaded runner
                        awaitIdle(r);
                        RunnerProcesses.stopGracefully(r);
                    } else if (!r.alive()) {
                        if (!RunnerLaunch.endedByItself(Path.of(r.logFile()))) { // a keep-alive unload is no crash
                            warnings.accept("the runner for " + name + " had exited unexpectedly" + RunnerLaunch.lastLines(
                                    Path.of(r.logFile())) + "; starting it again");
                        }
                    } else {
                        ProcessHandle.of(r.pid()).ifPresent(RunnerProcesses::killTree);
                    }
                    registry.remove(name);
                }
                RunnerDefaults d = withEngine(defaults.get(), o.engine());
                Prepared prepared = preflight(d, name, files, o); // a model that cannot load unloads nothing
                makeRoom(d, name);
                return start(d, name, files, prepared);
            }
        } catch (IOException e) {
            throw PaddockException.storage("cannot use " + home.resolve("runners") + ": " + e.getMessage(), e);
        }
    }

    /** A load's settings, and the context a load that asks for none would have (what a smaller one must give way to). */
    private record Prepared(RunnerSettings settings, int defaultContext) {}

    /** Paddock's own checks, then the settings the runner starts with: refused here before any runner is touched. */
    private Prepared preflight(RunnerDefaults d, ModelName name, ModelStore.Installed files, RunnerDefaults.Overrides o) {
        Path blob = files.blob();
        var file = reader.read(blob); // Paddock's own checks before native code sees the file
        LoadChecks.require(file, name.toString());
        GgufFacts facts = file.facts();
        boolean external = d.engine() != null;
        if (!external) {
            EmbeddedEngine.check(name.toString(), facts);
        }
        int trained = facts.contextLength() == null ? d.contextSize() : (int) Math.min(facts.contextLength(), 1 << 20);
        int defaultContext = Math.min(d.contextSize(), trained);
        int context = o.contextSize() != null ? o.contextSize() : defaultContext;
        long keepAlive = o.keepAliveSeconds() != null ? o.keepAliveSeconds() : d.keepAliveSeconds();
        long projectorBytes = external && files.projector() != null ? files.projector().toFile().length() : 0; // 0: none, or gone
        MemoryCheck.require(name, facts, context, external ? d.kvType() : dev.paddock.hardware.KvCacheType.F16,
                dev.paddock.hardware.SystemMemory.detect().usableBytes(), projectorBytes);
        List<String> engineArgs = d.engineArgs();
        if (o.embeddings()) {
            if (!external) {
                throw PaddockException.invalidInput("embeddings of local models need a current engine; paddock engine install builds one");
            }
            // an input is embedded in one physical batch: as long as the context (at most 8K tokens), not the default 512
            String batch = String.valueOf(Math.min(context, 8192));
            engineArgs = new java.util.ArrayList<>(List.of(EMBEDDINGS, "-b", batch, "-ub", batch));
            // a generative model names no pooling; the mean of its token vectors is the usual sentence embedding
            if (file.metadata().keySet().stream().noneMatch(k -> k.endsWith(".pooling_type"))) {
                engineArgs.addAll(List.of("--pooling", "mean"));
            }
            engineArgs.addAll(d.engineArgs()); // the user's own choices last, so they win
        }
        return new Prepared(new RunnerSettings(blob, name.toString(), context,
                o.threads() != null ? o.threads() : d.threads(), d.batchSize(),
                o.gpuLayers() != null ? o.gpuLayers() : d.gpuLayers(), o.seed() != null ? o.seed() : -1,
                keepAlive, attached ? ProcessHandle.current().pid() : 0, external ? d.engine().path() : null,
                d.parallel(), logFile(name), engineArgs, d.kvType().name().toLowerCase(java.util.Locale.ROOT), d.flashAttn(),
                external ? files.projector() : null), defaultContext); // the embedded engine has no projector support: it refuses images

    }

    private Loaded start(RunnerDefaults d, ModelName name, ModelStore.Installed files, Prepared prepared) throws IOException {
        RunnerSettings settings = prepared.settings();
        boolean external = settings.usesLlamaServer();
        if (!external) {
            noticeEmbeddedOnce();
        }
        Path log = settings.logFile();
        long begin = System.nanoTime();
        RunnerLaunch.Started s = RunnerLaunch.start(settings, home.resolve("native"), log, d.startTimeout());
        Duration loadTime = Duration.ofNanos(System.nanoTime() - begin);
        LoadedRunner runner = new LoadedRunner(name.toString(), files.digest().toString(), s.process().pid(), s.port(), s.token(),
                clock.instant().toString(), settings.keepAliveSeconds(), settings.contextSize(),
                external ? d.engine().label() : LlamaEngine.ENGINE_VERSION, log.toString(),
                external ? d.engine().id() : null, s.controlPort(), settings.threads(), settings.engineArgs().contains(EMBEDDINGS),
                files.projectorDigest() == null ? null : files.projectorDigest().toString(), prepared.defaultContext());
        try {
            registry.write(name, runner);
        } finally {
            s.registered().run();
        }
        return new Loaded(runner, true, loadTime);
    }

    /** The defaults with the engine a load asks for in place of the default one. */
    private RunnerDefaults withEngine(RunnerDefaults d, String engine) {
        if (engine == null) {
            return d;
        }
        RunnerDefaults.EngineBinary binary = engine.equals(RunnerDefaults.Overrides.EMBEDDED) ? null : engineById.apply(engine)
                .orElseThrow(() -> PaddockException.notFound("no usable engine " + engine + " is installed (see paddock engine list)"));
        return new RunnerDefaults(d.contextSize(), d.threads(), d.batchSize(), d.gpuLayers(), d.keepAliveSeconds(), d.maxLoaded(),
                d.startTimeout(), binary, d.parallel(), d.engineArgs(), d.kvType(), d.flashAttn());
    }

    /** Says once per home, in one line, what a current engine would bring. */
    private void noticeEmbeddedOnce() {
        Path marker = home.resolve("engines").resolve(".embedded-notice");
        if (Files.exists(marker)) {
            return;
        }
        warnings.accept("local models run on the embedded llama.cpp " + EmbeddedEngine.BUILD + "; paddock engine install builds a"
                + " current llama-server (newer models such as qwen3, 4 requests at once, GPU builds)");
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, "shown\n");
        } catch (IOException ignored) {
            // it is said again next time
        }
    }

    private Path logFile(ModelName name) {
        return home.resolve("logs").resolve("runner-" + name.family() + "-" + name.tag() + ".log");
    }

    /** Unloads the oldest runners beyond runner.max_loaded, before a new one starts. */
    private void makeRoom(RunnerDefaults d, ModelName starting) {
        List<LoadedRunner> live = registry.live().stream()
                .filter(r -> !r.model().equals(starting.toString()))
                .sorted(Comparator.comparing(LoadedRunner::startedAt))
                .toList();
        for (int i = 0; i <= live.size() - d.maxLoaded(); i++) {
            LoadedRunner oldest = live.get(i);
            warnings.accept("unloading " + oldest.model() + " to stay within runner.max_loaded = " + d.maxLoaded());
            stop(ModelName.parse(oldest.model()));
        }
    }

    /** A request to the runner just succeeded: that proves it healthy as well as a health check would. */
    public void confirmHealthy(LoadedRunner r) {
        verified.put(r.model(), new Verified(r, System.nanoTime()));
    }

    /** The longest a reload or a requested unload waits for the requests a runner is serving. */
    private static final long IDLE_WAIT_NANOS = 10L * 60 * 1_000_000_000L;

    /**
     * Waits until a llama-server runner serves no request (its /metrics), so that a reload or an unload a client
     * asked for does not cut an answer off; gives up after {@link #IDLE_WAIT_NANOS} or when the runner cannot say.
     */
    private void awaitIdle(LoadedRunner r) {
        if (r.healthPort() == r.port()) {
            return; // the embedded engine's runner finishes its request before it exits on a stop
        }
        java.net.http.HttpRequest metrics = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + r.port()
                + "/metrics")).header("Authorization", "Bearer " + r.token()).timeout(Duration.ofSeconds(5)).build();
        long end = System.nanoTime() + IDLE_WAIT_NANOS;
        while (r.alive() && System.nanoTime() < end) {
            try {
                var m = EngineMetrics.parse(http().send(metrics, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                if (m.getOrDefault("requests_processing", 0.0) + m.getOrDefault("requests_deferred", 0.0) == 0
                        && serving(r).get() <= 0) {
                    return;
                }
                Thread.sleep(100);
            } catch (IOException unreadable) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops the model's runner once the requests it is serving are answered (Ollama's keep_alive 0), after a load in
     * progress has finished; false when none ran.
     */
    public boolean stopWhenIdle(ModelName name) {
        java.util.concurrent.locks.ReentrantLock local = startLock(name);
        local.lock();
        try {
            verified.remove(name.toString());
            registry.read(name).filter(LoadedRunner::alive).ifPresent(this::awaitIdle);
            return stop(name);
        } finally {
            local.unlock();
        }
    }

    /** Stops the model's runner; false when none was running. */
    public boolean stop(ModelName name) {
        verified.remove(name.toString());
        Optional<LoadedRunner> r = registry.read(name);
        registry.remove(name);
        if (r.isEmpty() || !r.get().alive()) {
            return false;
        }
        RunnerProcesses.stopGracefully(r.get());
        return true;
    }


    /** The runner's llama-server slots and counters; empty for the embedded engine. */
    public Optional<EngineMetrics> engineMetrics(LoadedRunner r) {
        return r.controlPort() > 0 && r.controlPort() != r.port() ? EngineMetrics.read(http(), r) : Optional.empty();
    }

    public List<LoadedRunner> loaded() {
        return registry.live();
    }

    public Optional<LoadedRunner> find(ModelName name) {
        return registry.read(name).filter(LoadedRunner::alive);
    }

    /** Why a runner stopped answering, for the message a failed request gets. */
    public String diagnose(LoadedRunner r) {
        ProcessHandle.of(r.pid()).ifPresent(h -> { // a runner that just died may take a moment to be gone
            try {
                h.onExit().get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception stillAlive) {
                // it is alive: it only stopped answering
            }
        });
        if (r.alive()) {
            return "the runner for " + r.model() + " stopped answering (log: " + r.logFile() + ")";
        }
        registry.remove(ModelName.parse(r.model()));
        return "the runner for " + r.model() + " exited unexpectedly" + RunnerLaunch.lastLines(Path.of(r.logFile()))
                + "; it starts again on the next request (log: " + r.logFile() + ")";
    }

    private boolean healthy(LoadedRunner r) {
        try {
            HttpResponse<Void> res = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return res.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted", e);
        }
    }

    /** Closes its HTTP connections; the runners are left as they are (they stop by their own rules). */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.shutdownNow();
        }
    }
}
