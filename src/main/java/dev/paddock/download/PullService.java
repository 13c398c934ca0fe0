package dev.paddock.download;

import dev.paddock.catalog.Catalog;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoredModel;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Pulls models: resolves what was asked for, runs (or joins) its download job, verifies the bytes and
 * installs them in the store. A job is named after the model, so two pulls of one model, in one process
 * or two, share one transfer: the one holding the job's lock downloads, the others follow its progress.
 */
public final class PullService implements AutoCloseable {
    static {
        // java.net.http reads responses in 16 KiB buffers by default; 256 KiB ones halve a pull's CPU time
        // (bench/download). The property is read once, when the first HttpClient is made.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", String.valueOf(256 * 1024));
        }
    }

    private final ModelStore store;
    private final DownloadRepository jobs;
    private final Catalog catalog;
    private final PullSettings settings;
    private final Clock clock;
    private final Map<String, String> env;
    private final Semaphore slots;
    /**
     * Pauses and cancels asked of jobs this process downloads, seen by their control loop at once and even
     * when the database cannot be written (a full disk); other processes' requests come through the database.
     */
    private final Map<String, DownloadJob.State> stopRequests = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpClient http; // on first use: listing jobs needs none

    public PullService(ModelStore store, DownloadRepository jobs, Catalog catalog, PullSettings settings, Clock clock,
            Map<String, String> env) {
        this.store = store;
        this.jobs = jobs;
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
        this.env = env;
        this.slots = new Semaphore(Math.max(1, settings.maxJobs()), true);
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The job id of a model: the same for every pull of it, so concurrent pulls meet in one job. */
    static String jobId(ModelName name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pulls {@code what} (catalog name, URL, hf://) and returns the job as it ended. */
    public DownloadJob pull(String what, String nameOverride, String sha256Override, boolean replace,
            Consumer<PullEvent> events) {
        return pull(what, nameOverride, sha256Override, replace, true, events);
    }

    /**
     * As above; with {@code projector}, a Hugging Face repository's multimodal projector (mmproj) is pulled and verified
     * too, and installed with the model, so it takes images (as {@code llama-server -hf} does).
     */
    public DownloadJob pull(String what, String nameOverride, String sha256Override, boolean replace, boolean projector,
            Consumer<PullEvent> events) {
        PullSource resolved = PullSource.resolve(what, catalog, env, store.layout().tmp());
        PullSource src = projector ? resolved : resolved.withoutProjector();
        ModelName name = nameOverride != null ? ModelName.parse(nameOverride) : src.defaultName();
        if (src.split()) {
            if (sha256Override != null) {
                throw PaddockException.invalidInput("--sha256 names one file; " + src.requested() + " is a split GGUF of " + src.parts().size()
                        + " parts, each verified by the digest its host states");
            }
            return pullSplit(src, name, replace, events);
        }
        String expected = sha256Override != null ? Digest.parse(sha256Override).hex() : src.expectedSha256();
        String id = jobId(name);
        events.accept(new PullEvent.Progress(id, "resolving", 0, src.expectedSize(), 0, null));
        Optional<StoredModel> installed = store.find(name);
        if (expected != null && installed.isPresent() && installed.get().digest().hex().equals(expected)) {
            if (src.projector() != null && !hasProjector(installed.get(), src.projector())) { // the model is here; its projector is not
                Projector p = pullProjector(src, name, replace, events);
                if (p.stopped() != null) {
                    return p.stopped();
                }
                store.attachProjector(name, p.file(), replace);
                partial("mmproj-" + id).delete();
            }
            events.accept(new PullEvent.Done(id, name.toString(), installed.get().digest().toString(), src.projector() == null
                    || hasProjector(installed.get(), src.projector())));
            return new DownloadJob(id, name.toString(), src.requested(), DownloadJob.State.DONE, installed.get().sizeBytes(),
                    installed.get().sizeBytes(), expected, null, null, clock.instant(), clock.instant());
        }
        Optional<DownloadJob> existing = jobs.find(id);
        existing.ifPresent(j -> refuseAForeignJoin(j, src, name, expected));
        Projector p = src.projector() == null ? Projector.NONE : pullProjector(src, name, replace, events);
        if (p.stopped() != null) {
            return p.stopped();
        }
        DownloadJob job = existing.filter(j -> j.source().equals(src.requested()) && !j.state().finished())
                .orElseGet(() -> new DownloadJob(id, name.toString(), src.requested(), DownloadJob.State.QUEUED, src.expectedSize(),
                        0, expected, null, null, clock.instant(), clock.instant()));
        DownloadJob done = new PullJob(this, job, src, name, expected, replace, events).withProjector(p.file()).run();
        if (done.state() == DownloadJob.State.DONE || done.state() == DownloadJob.State.CANCELLED) {
            partial("mmproj-" + id).delete(); // installed with the model, or no longer wanted
        }
        return done;
    }

    private static boolean hasProjector(StoredModel m, PullSource.Part projector) {
        return m.projector() != null && (projector.sha256() == null || m.projector().digest().hex().equals(projector.sha256()));
    }

    /** A model's projector, verified and kept for its install; or the projector's job, when it was paused, cancelled or failed. */
    private record Projector(ModelStore.ProjectorFile file, DownloadJob stopped) {
        static final Projector NONE = new Projector(null, null);
    }

    /**
     * Pulls a model's multimodal projector as a job of its own (resumable, pausable, verified like any pull), kept under
     * {@code partial/mmproj-JOB/} until the model is installed with it; one verified before is not fetched again.
     */
    private Projector pullProjector(PullSource src, ModelName name, boolean replace, Consumer<PullEvent> events) {
        String base = jobId(name);
        PullSource.Part part = src.projector();
        java.nio.file.Path kept = partial("mmproj-" + base).dir().resolve("mmproj.gguf");
        Digest have = java.nio.file.Files.isRegularFile(kept) ? store.digestOf(kept) : null; // hashed once, whichever way it came
        if (have == null || part.sha256() != null && !part.sha256().equals(have.hex())) {
            PullSource one = new PullSource(src.requested() + "#mmproj", part.url(), src.headers(), part.sha256(), part.sizeBytes(), name);
            String id = base + "-mmproj";
            DownloadJob job = jobs.find(id).filter(j -> j.source().equals(one.requested()) && !j.state().finished())
                    .orElseGet(() -> new DownloadJob(id, name + " (vision projector)", one.requested(), DownloadJob.State.QUEUED,
                            part.sizeBytes(), 0, part.sha256(), null, null, clock.instant(), clock.instant()));
            DownloadJob ended = new PullJob(this, job, one, name, part.sha256(), replace, events).keepingAt(kept).run();
            if (ended.state() != DownloadJob.State.DONE) {
                return new Projector(null, ended);
            }
            have = part.sha256() != null ? new Digest(part.sha256()) : store.digestOf(kept); // the download was verified against it
        }
        return new Projector(new ModelStore.ProjectorFile(kept, have, displaySource(part.url().toString())), null);
    }

    /**
     * A pull meets a running job of the same name only to share the same transfer: another source, or a
     * digest other than the one that job checks, is a conflict, never a silent success with other bytes.
     */
    /**
     * A split GGUF: each part is a job of its own (resumable, pausable, verified by its SHA-256 like any pull), kept
     * under {@code partial/split-JOB/} once verified; when all are there they are merged into one GGUF, as
     * llama.cpp's gguf-split --merge does, and that is installed. A part already verified is not fetched again.
     */
    private DownloadJob pullSplit(PullSource src, ModelName name, boolean replace, Consumer<PullEvent> events) {
        String base = jobId(name);
        Projector projector = src.projector() == null ? Projector.NONE : pullProjector(src, name, replace, events);
        if (projector.stopped() != null) {
            return projector.stopped();
        }
        PartialDownload splitDir = partial("split-" + base); // only its folder and delete() are used
        java.nio.file.Path dir = splitDir.dir();
        List<java.nio.file.Path> files = new java.util.ArrayList<>();
        DownloadJob last = null;
        int n = src.parts().size();
        for (int i = 0; i < n; i++) {
            PullSource.Part part = src.parts().get(i);
            java.nio.file.Path kept = dir.resolve(String.format(java.util.Locale.ROOT, "part-%05d-of-%05d.gguf", i + 1, n));
            files.add(kept);
            if (part.sha256() != null && java.nio.file.Files.isRegularFile(kept) && part.sha256().equals(store.digestOf(kept).hex())) {
                continue; // verified before, by a pull that stopped later
            }
            PullSource one = new PullSource(src.requested() + "#" + (i + 1) + "/" + n, part.url(), src.headers(), part.sha256(),
                    part.sizeBytes(), name);
            String id = base + "-" + (i + 1);
            String label = name + " (part " + (i + 1) + " of " + n + ")";
            DownloadJob job = jobs.find(id).filter(j -> j.source().equals(one.requested()) && !j.state().finished())
                    .orElseGet(() -> new DownloadJob(id, label, one.requested(), DownloadJob.State.QUEUED, part.sizeBytes(), 0, part.sha256(),
                            null, null, clock.instant(), clock.instant()));
            last = new PullJob(this, job, one, name, part.sha256(), replace, events).keepingAt(kept).run();
            if (last.state() != DownloadJob.State.DONE) {
                return last; // paused, cancelled or failed: the parts verified so far stay for the next pull
            }
        }
        String lastId = last != null ? last.id() : base + "-" + n;
        events.accept(new PullEvent.Progress(lastId, "merging", 0, src.expectedSize(), 0, null));
        java.nio.file.Path merged = store.layout().tmp().resolve("import-" + ProcessHandle.current().pid() + "-split-" + base + ".gguf");
        try {
            java.nio.file.Files.createDirectories(store.layout().tmp());
            store.ensureSpace(name.toString(), src.expectedSize() == null ? 0 : src.expectedSize());
            dev.paddock.gguf.GgufSplit.merge(files, merged);
            events.accept(new PullEvent.Progress(lastId, "installing", 0, src.expectedSize(), 0, null));
            var result = store.install(merged, store.digestOf(merged), name, src.displayUrl(), replace, projector.file());
            splitDir.delete();
            if (projector.file() != null) {
                partial("mmproj-" + base).delete();
            }
            events.accept(new PullEvent.Done(lastId, name.toString(), result.model().digest().toString(), result.unchanged()));
            return jobs.find(lastId).orElse(last);
        } catch (IOException e) {
            throw PaddockException.storage("cannot merge the parts of " + name + ": " + e.getMessage(), e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(merged);
            } catch (IOException ignored) {
                // the cleaner removes scratch files of finished processes
            }
        }
    }

    private static void refuseAForeignJoin(DownloadJob running, PullSource src, ModelName name, String expected) {
        if (!DownloadJob.State.ACTIVE.contains(running.state()) || running.interrupted()) {
            return;
        }
        String how = "; wait for it to end, cancel it (\"paddock pull --cancel " + running.id() + "\"), or pull under another --name";
        if (!running.source().equals(src.requested())) {
            throw new PaddockException(ErrorCode.CONFLICT, name + " is already being pulled from " + displaySource(running.source())
                    + " (job " + running.id() + ")" + how);
        }
        if (expected != null && running.sha256() != null && !running.sha256().equals(expected)) {
            throw new PaddockException(ErrorCode.CONFLICT, name + " is already being pulled (job " + running.id()
                    + ") and checked against sha256:" + running.sha256().substring(0, 12) + "…, not the sha256:"
                    + expected.substring(0, 12) + "… given" + how);
        }
    }

    private static String displaySource(String source) {
        int q = source.indexOf('?');
        return q < 0 ? source : source.substring(0, q); // a signed URL's query is a secret
    }

    /** Continues a paused, failed or interrupted job. */
    public DownloadJob resume(String idOrPrefix, Consumer<PullEvent> events) {
        DownloadJob job = unfinishedFor(job(idOrPrefix));
        if (job.state() == DownloadJob.State.DONE) {
            throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " (" + job.name() + ") is already done");
        }
        if (job.state() == DownloadJob.State.CANCELLED) {
            throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " was cancelled; pull " + job.source() + " again");
        }
        int part = partOfAPull(job) ? job.source().lastIndexOf('#') : -1;
        if (part > 0) { // a split model's part or a model's projector: the whole pull resumes, keeping what is verified
            String model = job.name().contains(" (") ? job.name().substring(0, job.name().indexOf(" (")) : job.name();
            return pull(job.source().substring(0, part), model, null, false, events);
        }
        return pull(job.source(), job.name(), job.sha256(), false, events);
    }

    /** One job of a pull of several files: a split model's part, or a model's projector. */
    private static boolean partOfAPull(DownloadJob job) {
        return job.source().matches(".+#(mmproj|\\d+/\\d+)$");
    }

    /**
     * The job a pause, resume or cancel of {@code job} acts on: itself, or for a finished job of a pull of several files
     * (whose first job's id names the whole pull where the API started it) that pull's job not finished yet.
     */
    private DownloadJob unfinishedFor(DownloadJob job) {
        if (!job.state().finished() || !partOfAPull(job)) {
            return job;
        }
        String pull = job.id().substring(0, job.id().indexOf('-') + 1);
        return jobs.findAll().stream().filter(j -> j.id().startsWith(pull) && partOfAPull(j) && !j.state().finished()).findFirst()
                .orElse(job);
    }

    /** Asks the job's downloader to pause; a job with none running is paused at once. */
    public DownloadJob pause(String idOrPrefix) {
        String id = unfinishedFor(job(idOrPrefix)).id();
        for (int attempt = 0; attempt < 5; attempt++) { // the downloader may change the state between read and write
            DownloadJob job = job(id);
            boolean moved = switch (job.state()) {
                case RUNNING, QUEUED, PAUSING -> job.interrupted() ? move(job, DownloadJob.State.ACTIVE, DownloadJob.State.PAUSED)
                        : job.state() == DownloadJob.State.PAUSING || askToStop(job, DownloadJob.State.PAUSING);
                case FAILED -> move(job, java.util.EnumSet.of(DownloadJob.State.FAILED), DownloadJob.State.PAUSED);
                case PAUSED -> true;
                default -> throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " is " + job.state().wire()
                        + " and cannot be paused");
            };
            if (moved) {
                return view(job, DownloadJob.State.PAUSING);
            }
        }
        throw new PaddockException(ErrorCode.CONFLICT, "job " + idOrPrefix + " kept changing state; try again");
    }

    /** Cancels the job: its downloader stops and its partial data is removed. */
    public DownloadJob cancel(String idOrPrefix) {
        String id = unfinishedFor(job(idOrPrefix)).id();
        for (int attempt = 0; attempt < 5; attempt++) {
            DownloadJob job = job(id);
            if (job.state().finished()) {
                throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " is already " + job.state().wire());
            }
            boolean live = DownloadJob.State.ACTIVE.contains(job.state()) && !job.interrupted();
            if (live && (job.state() == DownloadJob.State.CANCELLING || askToStop(job, DownloadJob.State.CANCELLING))) {
                return view(job, DownloadJob.State.CANCELLING);
            }
            if (!live && move(job, java.util.EnumSet.of(job.state()), DownloadJob.State.CANCELLED)) {
                partial(job.id()).delete();
                partial("mmproj-" + job.id().split("-")[0]).delete(); // a projector kept for the model this job was pulling
                partial("split-" + job.id().split("-")[0]).delete(); // and the parts of a split model verified so far
                return job(job.id());
            }
        }
        throw new PaddockException(ErrorCode.CONFLICT, "job " + idOrPrefix + " kept changing state; try again");
    }

    /**
     * Asks a live job's downloader to stop ({@code to} is PAUSING or CANCELLING). For a job this process
     * downloads, the request in memory is what stops it, so when the database cannot record the request (a
     * full disk) the downloader still stops and ends the job; a cancel replaces a pause asked before it.
     */
    private boolean askToStop(DownloadJob job, DownloadJob.State to) {
        java.util.Set<DownloadJob.State> from = to == DownloadJob.State.CANCELLING
                ? java.util.EnumSet.of(DownloadJob.State.RUNNING, DownloadJob.State.QUEUED, DownloadJob.State.PAUSING)
                : java.util.EnumSet.of(DownloadJob.State.RUNNING, DownloadJob.State.QUEUED);
        boolean local = job.pid() != null && job.pid() == ProcessHandle.current().pid();
        if (!local) {
            return move(job, from, to);
        }
        stopRequests.merge(job.id(), to, (asked, now) -> now == DownloadJob.State.CANCELLING ? now : asked);
        try {
            return move(job, from, to);
        } catch (PaddockException e) {
            if (e.code() != ErrorCode.STORAGE) {
                throw e;
            }
            return true;
        }
    }

    /** The job as this process knows it when the database may lag behind. */
    private DownloadJob view(DownloadJob job, DownloadJob.State state) {
        try {
            DownloadJob stored = job(job.id());
            return stored.state() == state || !DownloadJob.State.ACTIVE.contains(stored.state()) ? stored : stored.with(state, stored.doneBytes(), stored.error(),
                    stored.updatedAt());
        } catch (PaddockException e) {
            return job.with(state, job.doneBytes(), job.error(), clock.instant());
        }
    }

    private boolean move(DownloadJob job, java.util.Set<DownloadJob.State> from, DownloadJob.State to) {
        Long done = to == DownloadJob.State.CANCELLED ? Long.valueOf(0) : null;
        String error = to == DownloadJob.State.PAUSED ? job.error() : null;
        return jobs.transition(job.id(), from, to, done, error, clock.instant());
    }

    public List<DownloadJob> jobs() {
        return jobs.findAll();
    }

    public DownloadJob job(String idOrPrefix) {
        String p = idOrPrefix.strip().toLowerCase(java.util.Locale.ROOT);
        List<DownloadJob> matches = jobs.findAll().stream().filter(j -> j.id().startsWith(p)).toList();
        if (matches.size() == 1 && !p.isEmpty()) {
            return matches.getFirst();
        }
        java.util.Optional<DownloadJob> exact = matches.stream().filter(j -> j.id().equals(p)).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        throw matches.isEmpty() ? PaddockException.notFound("no download job " + idOrPrefix + "; \"paddock pulls\" lists them")
                : PaddockException.invalidInput("\"" + idOrPrefix + "\" matches several jobs; give more of the id");
    }

    // --- for PullJob ---

    PartialDownload partial(String id) {
        return new PartialDownload(store.layout().partial().resolve(id));
    }

    DownloadJob save(DownloadJob j) {
        jobs.save(j);
        return j;
    }

    /** A pause or cancel asked in this process of a job it downloads; null when none. */
    DownloadJob.State stopRequest(String id) {
        return stopRequests.get(id);
    }

    void forgetStopRequest(String id) {
        stopRequests.remove(id);
    }

    DownloadRepository repository() {
        return jobs;
    }

    ModelStore store() {
        return store;
    }

    PullSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(15)).build();
        }
        return http;
    }

    Semaphore slots() {
        return slots;
    }

    /** The job's lock, or null when another process (or thread) holds it. */
    static FileLock tryLock(Path lockFile) throws IOException {
        Files.createDirectories(lockFile.getParent());
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            ch.close();
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.shutdownNow();
        }
    }
}
