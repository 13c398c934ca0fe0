package dev.paddock.download;

import java.time.Duration;

/** The download.* settings. */
public record PullSettings(int connections, long pieceBytes, int retries, Duration stallTimeout, int maxJobs) {
    public static PullSettings defaults() {
        return new PullSettings(4, 8L << 20, 8, Duration.ofSeconds(30), 2);
    }
}
