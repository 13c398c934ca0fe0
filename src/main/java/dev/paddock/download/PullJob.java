package dev.paddock.download;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.function.Consumer;

/** One pull of one job: downloads it if this process gets the job's lock, else follows whoever has it. */
final class PullJob {
    private static final int MAX_RESTARTS = 3;

    private final PullService service;
    private final PullSource src;
    private final ModelName name;
    private final String expectedSha;
    private final boolean replace;
    private final Consumer<PullEvent> events;
    private DownloadJob job;
    private volatile long bytesOnDisk;
    /** For a part of a split model: where its verified file goes, instead of the store. */
    private java.nio.file.Path keepAt;

    PullJob(PullService service, DownloadJob job, PullSource src, ModelName name, String expectedSha, boolean replace,
            Consumer<PullEvent> events) {
        this.service = service;
        this.job = job;
        this.src = src;
        this.name = name;
        this.expectedSha = expectedSha;
        this.replace = replace;
        this.events = events;
    }

    /** The model's multimodal projector, verified already, installed with it; null for none. */
    private ModelStore.ProjectorFile projector;

    PullJob withProjector(ModelStore.ProjectorFile p) {
        this.projector = p;
        return this;
    }

    /** Makes this a part's download: once verified, its file is moved to {@code file}, and nothing is installed. */
    PullJob keepingAt(java.nio.file.Path file) {
        this.keepAt = file;
        return this;
    }

    DownloadJob run() {
        PartialDownload partial = service.partial(job.id());
        while (true) {
            FileLock lock;
            try {
                lock = PullService.tryLock(partial.lockFile());
            } catch (IOException e) {
                throw PaddockException.storage("cannot use " + partial.dir() + ": " + e.getMessage(), e);
            }
            if (lock == null) {
                DownloadJob followed = follow();
                if (followed != null) {
                    return followed;
                }
                continue; // the downloader died: take over
            }
            try (var channel = lock.channel(); lock) { // the lock is released before its channel closes
                return download(partial);
            } catch (IOException e) {
                throw PaddockException.storage("cannot use " + partial.dir() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Follows another process's transfer of this job; null if that process died and the job is ours to finish. */
    private DownloadJob follow() {
        events.accept(new PullEvent.Notice(job.id(), "already being pulled; following that transfer"));
        ProgressMeter meter = new ProgressMeter();
        while (true) {
            DownloadJob j = service.repository().find(job.id()).orElse(job);
            switch (j.state()) {
                case DONE -> {
                    String digest = service.store().find(name).map(m -> m.digest().toString()).orElse(null);
                    if (expectedSha != null && (digest == null || !digest.equals("sha256:" + expectedSha))) {
                        throw new PaddockException(ErrorCode.UNAVAILABLE, "checksum mismatch for " + name + ": the pull this one joined"
                                + " installed " + (digest == null ? "nothing" : digest.substring(0, 19) + "…") + ", not sha256:"
                                + expectedSha.substring(0, 12) + "…; nothing of yours was installed");
                    }
                    events.accept(new PullEvent.Done(j.id(), j.name(), digest, false));
                    return j;
                }
                case FAILED -> throw new PaddockException(ErrorCode.UNAVAILABLE, j.error() == null ? "the pull failed" : j.error());
                case PAUSED, CANCELLED -> {
                    events.accept(new PullEvent.Stopped(j.id(), j.state(), "the pull was " + j.state().wire()));
                    return j;
                }
                default -> { }
            }
            if (j.interrupted()) {
                return null;
            }
            double speed = meter.bytesPerSecond(j.doneBytes());
            events.accept(new PullEvent.Progress(j.id(), "downloading", j.doneBytes(), j.sizeBytes(), speed,
                    ProgressMeter.eta(j.doneBytes(), j.sizeBytes(), speed)));
            sleep(250);
        }
    }

    private DownloadJob download(PartialDownload partial) throws IOException {
        service.forgetStopRequest(job.id()); // one left by an earlier run of this job in this process
        job = service.save(job.withPid(ProcessHandle.current().pid()).with(DownloadJob.State.QUEUED, job.doneBytes(), null,
                service.clock().instant()));
        try {
            service.slots().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while queued", e);
        }
        try {
            if (!move(EnumSet.of(DownloadJob.State.QUEUED), DownloadJob.State.RUNNING, null, null)) {
                bytesOnDisk = job.doneBytes();
                return stopped(partial); // paused or cancelled while it waited for a slot
            }
            return transferVerifyInstall(partial);
        } catch (RuntimeException unexpected) {
            PaddockException e = unexpected instanceof PaddockException p ? p : new PaddockException(ErrorCode.INTERNAL,
                    "the pull of " + src.displayUrl() + " failed unexpectedly (" + unexpected + "); run it again, or report this", unexpected);
            long kept = Files.exists(service.partial(job.id()).dir()) ? Math.max(bytesOnDisk, job.doneBytes()) : 0;
            try {
                move(DownloadJob.State.ACTIVE, DownloadJob.State.FAILED, kept, e.getMessage());
            } catch (PaddockException unrecorded) {
                e.addSuppressed(unrecorded); // the database refuses too (a full disk): the job still ends, here
            }
            events.accept(new PullEvent.Stopped(job.id(), DownloadJob.State.FAILED, e.getMessage()));
            throw e;
        } finally {
            service.slots().release();
            service.forgetStopRequest(job.id());
        }
    }

    /** A conditional change of the job's state in the database; {@code job} follows when it moved. */
    private boolean move(java.util.Set<DownloadJob.State> from, DownloadJob.State to, Long done, String error) {
        var now = service.clock().instant();
        boolean moved = service.repository().transition(job.id(), from, to, done, error, now);
        if (moved) {
            job = job.with(to, done != null ? done : job.doneBytes(), error, now);
        }
        return moved;
    }

    private DownloadJob transferVerifyInstall(PartialDownload partial) throws IOException {
        Consumer<String> notice = n -> events.accept(new PullEvent.Notice(job.id(), n));
        RemoteFile remote = RemoteProbe.probe(service.http(), src, service.settings().stallTimeout(), service.settings().retries(), notice);
        String expected = expectedSha != null ? expectedSha : remote.sha256();
        var installed = service.store().find(name);
        if (expected != null && installed.isPresent() && installed.get().digest().hex().equals(expected)) {
            if (projector != null) {
                service.store().attachProjector(name, projector, replace);
            }
            partial.delete();
            events.accept(new PullEvent.Done(job.id(), name.toString(), installed.get().digest().toString(), true));
            move(DownloadJob.State.ACTIVE, DownloadJob.State.DONE, installed.get().sizeBytes(), null);
            return job;
        }
        if (src.expectedSize() != null && remote.sizeBytes() != null && !src.expectedSize().equals(remote.sizeBytes())) {
            events.accept(new PullEvent.Notice(job.id(), "the server's file is " + remote.sizeBytes()
                    + " bytes, the catalog says " + src.expectedSize() + "; the digest check will decide"));
        }
        service.repository().describe(job.id(), remote.sizeBytes(), expected, service.clock().instant());
        job = job.withSize(remote.sizeBytes(), expected);
        boolean ranges = remote.ranges();
        for (int restart = 0; ; restart++) {
            PartialDownload.State want = new PartialDownload.State(src.url().toString(), remote.etag(), remote.sizeBytes(),
                    service.settings().pieceBytes());
            PartialDownload.State have = partial.state();
            if (!want.equals(have) || !Files.exists(partial.data())) {
                if (have != null && (!Objects.equals(have.etag(), want.etag()) || !Objects.equals(have.sizeBytes(), want.sizeBytes()))) {
                    events.accept(new PullEvent.Notice(job.id(), "the file changed on the server since this download began; starting over"));
                }
                partial.reset(want);
            }
            requireSpace(partial, remote.sizeBytes());
            Transfer.Plan plan = new Transfer.Plan(src.url(), src.headers(), remote.sizeBytes(), ranges, remote.etag(),
                    service.settings().connections(), service.settings().pieceBytes(), service.settings().retries(),
                    service.settings().stallTimeout(), service.settings().maxUnknownBytes());
            try {
                Transfer.Result r = transfer(partial, plan);
                return r == null ? stopped(partial) : verifyAndInstall(partial, r, remote, expected);
            } catch (PaddockException e) {
                if (remote.sizeBytes() == null) {
                    partial.delete(); // bytes of a file of unknown size cannot be resumed: they only fill the disk
                }
                throw e;
            } catch (Transfer.ChangedOnServer | Transfer.RangesIgnored e) {
                if (restart >= MAX_RESTARTS) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "gave up on " + src.displayUrl() + ": " + e.getMessage());
                }
                events.accept(new PullEvent.Notice(job.id(), e.getMessage() + "; starting over"));
                if (e instanceof Transfer.RangesIgnored) {
                    ranges = false;
                } else {
                    remote = RemoteProbe.probe(service.http(), src, service.settings().stallTimeout(), service.settings().retries(), notice);
                }
                partial.reset(new PartialDownload.State("", null, null, 0)); // forces a fresh start above
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("No space left")) {
                    throw new PaddockException(ErrorCode.STORAGE, "the disk is full while pulling " + name + " ("
                            + job.doneBytes() + " of " + remote.sizeBytes() + " bytes are kept in " + partial.dir()
                            + "); free space, then run \"paddock pull " + src.requested() + "\" to resume", e);
                }
                throw new PaddockException(ErrorCode.UNAVAILABLE, "the pull of " + src.displayUrl() + " failed: " + m
                        + "; the bytes so far are kept — run \"paddock pull " + src.requested() + "\" to resume", e);
            }
        }
    }

    private Transfer.Result transfer(PartialDownload partial, Transfer.Plan plan) throws IOException {
        Transfer t = new Transfer(service.http(), plan, partial, n -> events.accept(new PullEvent.Notice(job.id(), n)));
        ProgressMeter meter = new ProgressMeter();
        long[] lastDb = {0};
        long[] lastControl = {0};
        boolean[] stop = {false};
        long[] startedAt = {-1};
        boolean[] progressUnrecorded = {false};
        try {
            return t.run(() -> {
                if (service.stopRequest(job.id()) != null) {
                    return true;
                }
                long now = System.nanoTime();
                if (now - lastControl[0] > 500_000_000L) { // a pause or cancel from another process
                    lastControl[0] = now;
                    DownloadJob.State s;
                    try {
                        s = service.repository().find(job.id()).map(DownloadJob::state).orElse(job.state());
                    } catch (PaddockException unreadable) {
                        return false; // this process's own requests still arrive through memory
                    }
                    stop[0] = s == DownloadJob.State.PAUSING || s == DownloadJob.State.CANCELLING;
                }
                return stop[0];
            }, done -> {
                bytesOnDisk = done;
                if (startedAt[0] < 0) {
                    startedAt[0] = done;
                    events.accept(new PullEvent.Started(job.id(), name.toString(), src.displayUrl(), plan.sizeBytes(), done,
                            plan.sizeBytes() != null && plan.ranges() ? plan.connections() : 1));
                }
                double speed = meter.bytesPerSecond(done);
                events.accept(new PullEvent.Progress(job.id(), "downloading", done, plan.sizeBytes(), speed,
                        ProgressMeter.eta(done, plan.sizeBytes(), speed)));
                long now = System.nanoTime();
                if (now - lastDb[0] > 1_000_000_000L) {
                    lastDb[0] = now;
                    try {
                        service.repository().progress(job.id(), done, service.clock().instant());
                    } catch (PaddockException unrecorded) { // a full database: the bytes still count, the job goes on
                        if (!progressUnrecorded[0]) {
                            progressUnrecorded[0] = true;
                            events.accept(new PullEvent.Notice(job.id(), "progress is not being saved: " + unrecorded.getMessage()));
                        }
                    }
                    job = job.with(job.state(), done, null, service.clock().instant());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted", e);
        }
    }

    /**
     * Ends a transfer that was asked to stop: cancelled (its data removed) or paused (kept). The job ends
     * here even when the database cannot record it (a full disk): the events say how it ended.
     */
    private DownloadJob stopped(PartialDownload partial) throws IOException {
        DownloadJob latest;
        try {
            latest = service.repository().find(job.id()).orElse(job);
        } catch (PaddockException e) {
            latest = job;
        }
        boolean cancel = latest.state() == DownloadJob.State.CANCELLING || service.stopRequest(job.id()) == DownloadJob.State.CANCELLING;
        if (latest.state() == DownloadJob.State.PAUSED || latest.state() == DownloadJob.State.CANCELLED) {
            events.accept(new PullEvent.Stopped(job.id(), latest.state(), "the pull was " + latest.state().wire()));
            return latest;
        }
        DownloadJob.State end = cancel ? DownloadJob.State.CANCELLED : DownloadJob.State.PAUSED;
        String unrecorded = "";
        try {
            // a cancel wins over a pause that came first; the downloader's own states give way to either
            if (!move(DownloadJob.State.ACTIVE, end, cancel ? 0L : bytesOnDisk, null)) {
                latest = service.repository().find(job.id()).orElse(job);
                events.accept(new PullEvent.Stopped(job.id(), latest.state(), "the pull was " + latest.state().wire()));
                return latest;
            }
        } catch (PaddockException e) {
            job = job.with(end, cancel ? 0 : bytesOnDisk, null, service.clock().instant());
            unrecorded = " (the database could not record it: " + e.getMessage() + ")";
        }
        if (cancel) {
            partial.delete();
            events.accept(new PullEvent.Stopped(job.id(), end, "cancelled; the partial data was removed" + unrecorded));
        } else {
            events.accept(new PullEvent.Stopped(job.id(), end, "paused; resume with \"paddock pull --resume " + job.id() + "\""
                    + unrecorded));
        }
        return job;
    }

    private DownloadJob verifyAndInstall(PartialDownload partial, Transfer.Result r, RemoteFile remote, String expected) {
        events.accept(new PullEvent.Progress(job.id(), "verifying", r.sizeBytes(), r.sizeBytes(), 0, Duration.ZERO));
        if (remote.sizeBytes() != null && r.sizeBytes() != remote.sizeBytes()) {
            partial.delete();
            throw new PaddockException(ErrorCode.UNAVAILABLE, "size mismatch for " + name + " (expected " + remote.sizeBytes()
                    + " bytes, got " + r.sizeBytes() + "); the partial file was removed — run \"paddock pull "
                    + src.requested() + "\" again");
        }
        if (expected != null && !expected.equals(r.sha256())) {
            partial.delete();
            throw new PaddockException(ErrorCode.UNAVAILABLE, "checksum mismatch for " + name + " (expected "
                    + expected.substring(0, 12) + "…, got " + r.sha256().substring(0, 12) + "…); the partial file was removed"
                    + " — run \"paddock pull " + src.requested() + "\" again, and if it happens again the source is corrupt");
        }
        if (keepAt != null) {
            try {
                Files.createDirectories(keepAt.getParent());
                Files.move(partial.data(), keepAt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw PaddockException.storage("cannot keep the verified part at " + keepAt + ": " + e.getMessage(), e);
            }
            partial.delete();
            events.accept(new PullEvent.Notice(job.id(), "verified " + job.name()));
            move(DownloadJob.State.ACTIVE, DownloadJob.State.DONE, r.sizeBytes(), null);
            return job;
        }
        events.accept(new PullEvent.Progress(job.id(), "installing", r.sizeBytes(), r.sizeBytes(), 0, Duration.ZERO));
        ModelStore.ImportResult result;
        try {
            result = service.store().install(partial.data(), new Digest(r.sha256()), name, src.displayUrl(), replace, projector);
        } catch (PaddockException e) {
            if (e.code() == ErrorCode.INVALID_MODEL) {
                partial.delete();
                throw new PaddockException(ErrorCode.INVALID_MODEL, "the download from " + src.displayUrl()
                        + " is not a usable model: " + e.getMessage() + "; nothing was installed", e);
            }
            throw e;
        }
        partial.delete();
        events.accept(new PullEvent.Done(job.id(), name.toString(), result.model().digest().toString(), result.unchanged()));
        move(DownloadJob.State.ACTIVE, DownloadJob.State.DONE, r.sizeBytes(), null);
        return job;
    }

    private void requireSpace(PartialDownload partial, Long size) throws IOException {
        if (size == null) {
            return;
        }
        long have = job.doneBytes(); // the data file may be sparse: its length says nothing
        long free = Files.getFileStore(partial.dir()).getUsableSpace();
        long need = size - Math.min(size, have) + (size >> 6); // plus a margin for the filesystem
        if (free < need) {
            throw new PaddockException(ErrorCode.STORAGE, "not enough disk space to pull " + name + ": it needs "
                    + need + " more bytes, " + free + " are free in " + partial.dir()
                    + "; free space and run the pull again (the bytes so far are kept)");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted", e);
        }
    }
}
