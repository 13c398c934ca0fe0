package dev.paddock.download;

import java.time.Instant;

/** A download job as the database keeps it. {@code source} is what the user asked for (catalog name, URL, hf://). */
public record DownloadJob(String id, String name, String source, State state, Long sizeBytes, long doneBytes,
        String sha256, String error, Long pid, Instant createdAt, Instant updatedAt) {

    public enum State {
        QUEUED, RUNNING, PAUSING, PAUSED, CANCELLING, CANCELLED, FAILED, DONE;

        /** The states of a job some downloader is (or was, if it died) working on. */
        public static final java.util.Set<State> ACTIVE = java.util.EnumSet.of(QUEUED, RUNNING, PAUSING, CANCELLING);

        public boolean finished() {
            return this == DONE || this == CANCELLED;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public DownloadJob with(State s, long done, String err, Instant now) {
        return new DownloadJob(id, name, source, s, sizeBytes, done, sha256, err, pid, createdAt, now);
    }

    public DownloadJob withSize(Long size, String sha) {
        return new DownloadJob(id, name, source, state, size, doneBytes, sha, error, pid, createdAt, updatedAt);
    }

    public DownloadJob withPid(Long p) {
        return new DownloadJob(id, name, source, state, sizeBytes, doneBytes, sha256, error, p, createdAt, updatedAt);
    }

    /** Running in the database but its process is gone: killed or crashed; resumable. */
    public boolean interrupted() {
        return (state == State.RUNNING || state == State.PAUSING || state == State.CANCELLING)
                && (pid == null || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** The state to show: "interrupted" for a job whose process died. */
    public String displayState() {
        return interrupted() ? "interrupted" : state.wire();
    }
}
