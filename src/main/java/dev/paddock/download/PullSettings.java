package dev.paddock.download;

import java.time.Duration;

/**
 * The download.* settings. {@code maxUnknownBytes} bounds a download whose server never says its size,
 * which would otherwise run until the disk is full.
 */
public record PullSettings(int connections, long pieceBytes, int retries, Duration stallTimeout, int maxJobs, long maxUnknownBytes) {
    public PullSettings(int connections, long pieceBytes, int retries, Duration stallTimeout, int maxJobs) {
        this(connections, pieceBytes, retries, stallTimeout, maxJobs, 100L << 30);
    }

    public static PullSettings defaults() {
        return new PullSettings(4, 8L << 20, 8, Duration.ofSeconds(30), 2);
    }
}
