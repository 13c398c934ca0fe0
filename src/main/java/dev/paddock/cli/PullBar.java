package dev.paddock.cli;

import dev.paddock.download.PullEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Draws pull events on stderr: a bar redrawn in place on a terminal (at most 10 times a second), or on
 * anything else one line every few seconds, so logs stay readable.
 */
final class PullBar {
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final long intervalNanos;
    private long lastDraw;
    private boolean drawn;

    PullBar(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null && System.console().isTerminal();
        this.intervalNanos = terminal ? 100_000_000L : 3_000_000_000L;
    }

    synchronized void accept(PullEvent e) {
        switch (e) {
            case PullEvent.Progress p -> progress(p);
            case PullEvent.Notice n -> line("note: " + n.message());
            case PullEvent.Started s -> line((s.resumedFromBytes() > 0 ? "resuming " : "pulling ") + s.name() + " from " + s.url()
                    + (s.resumedFromBytes() > 0 ? " at " + Format.bytes(s.resumedFromBytes()) : "")
                    + (s.connections() > 1 ? " (" + s.connections() + " connections)" : ""));
            case PullEvent.Done d -> clear();
            case PullEvent.Stopped s -> clear();
        }
    }

    private void progress(PullEvent.Progress p) {
        long now = System.nanoTime();
        boolean stageChange = !p.stage().equals("downloading");
        if (!stageChange && now - lastDraw < intervalNanos) {
            return;
        }
        lastDraw = now;
        String text = render(p);
        if (terminal) {
            err.print("\r" + text + "\u001b[K");
            drawn = true;
        } else {
            err.println(text);
        }
        err.flush();
    }

    static String render(PullEvent.Progress p) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-11s", p.stage()));
        if (p.totalBytes() != null && p.totalBytes() > 0) {
            double f = Math.min(1, (double) p.doneBytes() / p.totalBytes());
            int full = (int) Math.round(f * WIDTH);
            s.append(String.format(Locale.ROOT, " %3d%% ", (int) Math.floor(f * 100)))
                    .append('▕').append("█".repeat(full)).append(" ".repeat(WIDTH - full)).append('▏')
                    .append(' ').append(Format.bytes(p.doneBytes())).append(" / ").append(Format.bytes(p.totalBytes()));
        } else if (p.doneBytes() > 0) {
            s.append(' ').append(Format.bytes(p.doneBytes()));
        }
        if (p.stage().equals("downloading")) {
            s.append("  ").append(Format.bytes((long) p.bytesPerSecond())).append("/s");
            s.append("  ETA ").append(p.eta() == null ? "--:--" : clock(p.eta()));
        }
        return s.toString();
    }

    private static String clock(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void line(String text) {
        clear();
        err.println(text);
        err.flush();
    }

    private void clear() {
        if (drawn && terminal) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }
}
