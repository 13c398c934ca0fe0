package dev.paddock.download;

import java.time.Duration;

/**
 * What a pull reports as it goes: the CLI draws a bar from these, the server will stream them. Progress
 * comes about ten times a second at most, never per chunk.
 */
public sealed interface PullEvent {
    String jobId();

    /** The transfer begins (or resumes from {@code resumedFromBytes}). */
    record Started(String jobId, String name, String url, Long sizeBytes, long resumedFromBytes, int connections)
            implements PullEvent {}

    /** {@code stage}: resolving, downloading, verifying, installing. Speed is smoothed; ETA null when unknown. */
    record Progress(String jobId, String stage, long doneBytes, Long totalBytes, double bytesPerSecond, Duration eta)
            implements PullEvent {}

    /** Something worth saying that does not stop the pull (a restart, a retry). */
    record Notice(String jobId, String message) implements PullEvent {}

    record Done(String jobId, String model, String digest, boolean unchanged) implements PullEvent {}

    /** The job stopped without a model: paused, cancelled or failed, with why. */
    record Stopped(String jobId, DownloadJob.State state, String message) implements PullEvent {}
}
