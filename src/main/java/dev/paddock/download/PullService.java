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
public final class PullService {
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
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(15)).build();

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
        PullSource src = PullSource.resolve(what, catalog, env);
        ModelName name = nameOverride != null ? ModelName.parse(nameOverride) : src.defaultName();
        String expected = sha256Override != null ? Digest.parse(sha256Override).hex() : src.expectedSha256();
        String id = jobId(name);
        events.accept(new PullEvent.Progress(id, "resolving", 0, src.expectedSize(), 0, null));
        Optional<StoredModel> installed = store.find(name);
        if (expected != null && installed.isPresent() && installed.get().digest().hex().equals(expected)) {
            events.accept(new PullEvent.Done(id, name.toString(), installed.get().digest().toString(), true));
            return new DownloadJob(id, name.toString(), src.requested(), DownloadJob.State.DONE, installed.get().sizeBytes(),
                    installed.get().sizeBytes(), expected, null, null, clock.instant(), clock.instant());
        }
        DownloadJob job = jobs.find(id).filter(j -> j.source().equals(src.requested()) && !j.state().finished())
                .orElseGet(() -> new DownloadJob(id, name.toString(), src.requested(), DownloadJob.State.QUEUED, src.expectedSize(),
                        0, expected, null, null, clock.instant(), clock.instant()));
        return new PullJob(this, job, src, name, expected, replace, events).run();
    }

    /** Continues a paused, failed or interrupted job. */
    public DownloadJob resume(String idOrPrefix, Consumer<PullEvent> events) {
        DownloadJob job = job(idOrPrefix);
        if (job.state() == DownloadJob.State.DONE) {
            throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " (" + job.name() + ") is already done");
        }
        if (job.state() == DownloadJob.State.CANCELLED) {
            throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " was cancelled; pull " + job.source() + " again");
        }
        return pull(job.source(), job.name(), job.sha256(), false, events);
    }

    /** Asks the job's downloader to pause; a job with none running is paused at once. */
    public DownloadJob pause(String idOrPrefix) {
        DownloadJob job = job(idOrPrefix);
        return switch (job.state()) {
            case RUNNING, QUEUED, PAUSING -> save(job.interrupted() ? job.with(DownloadJob.State.PAUSED, job.doneBytes(), null,
                    clock.instant()) : job.with(DownloadJob.State.PAUSING, job.doneBytes(), null, clock.instant()));
            case FAILED -> save(job.with(DownloadJob.State.PAUSED, job.doneBytes(), job.error(), clock.instant()));
            default -> throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " is " + job.state().wire()
                    + " and cannot be paused");
        };
    }

    /** Cancels the job: its downloader stops and its partial data is removed. */
    public DownloadJob cancel(String idOrPrefix) {
        DownloadJob job = job(idOrPrefix);
        if (job.state().finished()) {
            throw new PaddockException(ErrorCode.CONFLICT, "job " + job.id() + " is already " + job.state().wire());
        }
        boolean live = (job.state() == DownloadJob.State.RUNNING || job.state() == DownloadJob.State.PAUSING
                || job.state() == DownloadJob.State.QUEUED) && !job.interrupted();
        if (live) {
            return save(job.with(DownloadJob.State.CANCELLING, job.doneBytes(), null, clock.instant()));
        }
        partial(job.id()).delete();
        return save(job.with(DownloadJob.State.CANCELLED, 0, null, clock.instant()));
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

    HttpClient http() {
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
}
