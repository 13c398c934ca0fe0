package dev.paddock.download;

import java.time.Duration;
import java.util.ArrayDeque;

/** Speed over the last few seconds (smooth, yet quick to show a stall) and the time left at that speed. */
public final class ProgressMeter {
    private static final long WINDOW_NANOS = 3_000_000_000L;

    private record Sample(long nanos, long bytes) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    public double bytesPerSecond(long bytes) {
        long now = System.nanoTime();
        samples.addLast(new Sample(now, bytes));
        while (samples.size() > 2 && now - samples.peekFirst().nanos() > WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        double seconds = (now - first.nanos()) / 1e9;
        return seconds <= 0.05 ? 0 : Math.max(0, (bytes - first.bytes()) / seconds);
    }

    public static Duration eta(long done, Long total, double bytesPerSecond) {
        if (total == null || bytesPerSecond <= 1) {
            return null;
        }
        return Duration.ofMillis((long) (Math.max(0, total - done) / bytesPerSecond * 1000));
    }
}
