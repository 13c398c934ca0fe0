package dev.paddock.cli;

import java.io.PrintWriter;

/**
 * A progress line on stderr: redrawn in place at most 10 times a second on a terminal, otherwise one
 * line every few seconds so logs stay readable.
 */
final class ProgressLine {
    private final PrintWriter err;
    private final String label;
    private final boolean terminal;
    private final long intervalNanos;
    private long lastDraw;
    private boolean drawn;

    ProgressLine(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
        this.terminal = System.console() != null && System.console().isTerminal();
        this.intervalNanos = terminal ? 100_000_000L : 5_000_000_000L;
        this.lastDraw = System.nanoTime();
    }

    void update(long done, long total) {
        long now = System.nanoTime();
        if (now - lastDraw < intervalNanos && done < total) {
            return;
        }
        lastDraw = now;
        String percent = total > 0 ? (done * 100 / total) + "%" : "";
        String text = label + " " + percent + " " + Format.bytes(done) + " / " + Format.bytes(total);
        if (terminal) {
            err.print("\r" + text + "\u001b[K");
        } else if (done < total) {
            err.println(text);
        }
        err.flush();
        drawn = true;
    }

    void finish() {
        if (drawn && terminal) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
