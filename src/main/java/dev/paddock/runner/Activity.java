package dev.paddock.runner;

/**
 * When the runner was last busy, and how long it may stay idle: the runner exits by itself once the
 * keep-alive has passed with no request in flight, which is how a model is unloaded.
 */
final class Activity {
    private long keepAliveSeconds;
    private long lastActiveNanos = System.nanoTime();
    private int inFlight;

    Activity(long keepAliveSeconds) {
        this.keepAliveSeconds = keepAliveSeconds;
    }

    synchronized void begin() {
        inFlight++;
        lastActiveNanos = System.nanoTime();
    }

    synchronized void end() {
        inFlight--;
        lastActiveNanos = System.nanoTime();
    }

    /** Something happened just now that the runner did not see itself (llama-server served a request). */
    synchronized void touch() {
        lastActiveNanos = System.nanoTime();
    }

    synchronized void keepAliveSeconds(long seconds) {
        keepAliveSeconds = seconds;
    }

    /** Seconds until the runner unloads if nothing else arrives; -1 for never, and the full keep-alive while busy. */
    synchronized long secondsLeft() {
        if (keepAliveSeconds < 0) {
            return -1;
        }
        if (inFlight > 0) {
            return keepAliveSeconds;
        }
        long idle = (System.nanoTime() - lastActiveNanos) / 1_000_000_000L;
        return Math.max(0, keepAliveSeconds - idle);
    }

    synchronized boolean expired() {
        if (inFlight > 0 || keepAliveSeconds < 0) {
            return false;
        }
        return System.nanoTime() - lastActiveNanos >= keepAliveSeconds * 1_000_000_000L;
    }
}
