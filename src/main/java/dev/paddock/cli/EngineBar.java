package dev.paddock.cli;

import dev.paddock.engine.InstallProgress;
import java.io.PrintWriter;

/**
 * An engine install's progress on stderr: the stage and its percent, redrawn in place on a terminal, a line
 * per stage and per 10 % elsewhere (a build log stays readable).
 */
final class EngineBar implements InstallProgress {
    private final PrintWriter err;
    private final boolean terminal = System.console() != null && System.console().isTerminal();
    private String stage = "";
    private long lastStep = -1;
    private long lastDraw;
    private boolean drawn;

    EngineBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void update(String newStage, long done, long total) {
        boolean changed = !newStage.equals(stage);
        stage = newStage;
        String text = switch (newStage) {
            case "downloading" -> "downloading llama.cpp " + (total > 0 ? done * 100 / total + "% " : "") + Format.bytes(done)
                    + (total > 0 ? " / " + Format.bytes(total) : "");
            case "building" -> "building llama-server " + bar(done, total);
            case "testing" -> "smoke-testing the engine (loads a generated model, generates tokens)";
            default -> newStage + " llama.cpp";
        };
        long step = total > 0 ? done * 10 / total : 0;
        long now = System.nanoTime();
        if (terminal) {
            if (changed || now - lastDraw > 100_000_000L) {
                err.print("\r" + text + "\u001b[K");
                err.flush();
                lastDraw = now;
                drawn = true;
            }
        } else if (changed || step != lastStep) {
            err.println(text);
            err.flush();
        }
        if (changed) {
            lastStep = -1;
        }
        lastStep = step;
    }

    private static String bar(long done, long total) {
        int pct = total > 0 ? (int) (done * 100 / total) : 0;
        int filled = pct / 5;
        return "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "] " + pct + "%";
    }

    synchronized void finish() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
