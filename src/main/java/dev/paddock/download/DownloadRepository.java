package dev.paddock.download;

import java.util.List;
import java.util.Optional;

/** Where download jobs are kept (the database), so they survive crashes and reboots. */
public interface DownloadRepository {
    void save(DownloadJob job);

    Optional<DownloadJob> find(String id);

    List<DownloadJob> findAll();

    /** Only the progress fields, often: done bytes and the time. */
    void progress(String id, long doneBytes, java.time.Instant at);
}
