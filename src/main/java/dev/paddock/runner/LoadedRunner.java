package dev.paddock.runner;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * A runner serving a model, as recorded in {@code runners/<family>/<tag>.json} (readable by its owner
 * only: it holds the access token), so every Paddock command on this machine can find and reuse it.
 * {@code engineId} names the installed engine that serves it (null: the embedded engine or the user's own binary);
 * {@code embeddings}: it answers {@code /v1/embeddings} too; {@code projector}: the digest of the multimodal projector
 * installed with the model when it was loaded (null: none).
 */
public record LoadedRunner(String model, String digest, long pid, int port, String token, String startedAt,
        long keepAliveSeconds, int contextSize, String engine, String logFile, String engineId, int controlPort, int threads,
        boolean embeddings, String projector, int defaultContext) {

    /** Whether the runner serves these files: the model's, and its projector's (installed or replaced since, it reloads). */
    public boolean holds(dev.paddock.store.ModelStore.Installed files) {
        return digest.equals(files.digest().toString())
                && java.util.Objects.equals(projector, files.projectorDigest() == null ? null : files.projectorDigest().toString());
    }

    /** Whether a load asking for these settings can use this runner (unasked settings always match). */
    public boolean suits(RunnerDefaults.Overrides o) {
        boolean engineSuits = o.engine() == null || (o.engine().equals(RunnerDefaults.Overrides.EMBEDDED) ? engineId == null
                : o.engine().equals(engineId));
        // a context some request asked for that is smaller than the default serves only requests that ask for it
        // (0: a record from before this was kept, taken to suit)
        boolean contextSuits = o.contextSize() == null ? contextSize >= defaultContext : o.contextSize() == contextSize;
        return engineSuits && (!o.embeddings() || embeddings) && contextSuits
                && (o.threads() == null || threads == 0 || o.threads() == threads);
    }

    /** The port whose /health says when the runner unloads (older records: the serving port). */
    public int healthPort() {
        return controlPort > 0 ? controlPort : port;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/v1/");
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public Optional<ProcessMemory> memory() {
        return ProcessMemory.of(pid);
    }

    public Instant started() {
        return Instant.parse(startedAt);
    }
}
