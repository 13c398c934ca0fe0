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

    synchronized void keepAliveSeconds(long seconds) {
        keepAliveSeconds = seconds;
    }

    synchronized boolean expired() {
        if (inFlight > 0 || keepAliveSeconds < 0) {
            return false;
        }
        return System.nanoTime() - lastActiveNanos >= keepAliveSeconds * 1_000_000_000L;
    }
}
