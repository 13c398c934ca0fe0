package dev.paddock.download;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where download jobs are kept (the database), so they survive crashes and reboots. A job is written whole
 * only when its downloader starts it; after that each writer changes only its own columns, and states
 * change only by {@link #transition}, so a pause written by the API is never overwritten by the downloader.
 */
public interface DownloadRepository {
    /** Writes the job whole: a new one, or an old one started again by the process holding its lock. */
    void save(DownloadJob job);

    Optional<DownloadJob> find(String id);

    List<DownloadJob> findAll();

    /** Only the progress fields, often: done bytes and the time. */
    void progress(String id, long doneBytes, Instant at);

    /**
     * Moves the job to {@code to} if, and only if, its state is one of {@code from}, in one statement; the
     * done bytes change when given. Returns whether it moved.
     */
    boolean transition(String id, Set<DownloadJob.State> from, DownloadJob.State to, Long doneBytes, String error, Instant at);

    /** What the server said of the file: its size and the digest it must have. */
    void describe(String id, Long sizeBytes, String sha256, Instant at);
}
