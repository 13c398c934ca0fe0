package dev.paddock.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (or a TERM signal) during a long command: instead of dying mid-write, the JVM's shutdown waits a
 * few seconds while the command sees {@link #pressed()}, stops its work and saves what it has.
 */
final class CtrlC implements AutoCloseable {
    private static final long GRACE_SECONDS = 15;
    private final AtomicBoolean pressed = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "paddock-ctrl-c");

    static CtrlC watch() {
        CtrlC c = new CtrlC();
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    boolean pressed() {
        return pressed.get();
    }

    private void onSignal() {
        pressed.set(true);
        try {
            finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the work is saved
        }
    }
}
