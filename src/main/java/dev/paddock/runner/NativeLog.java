package dev.paddock.runner;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama.cpp writes its log, its load errors and its per-request timings to the process's stderr, where
 * Java cannot see them. This puts a pipe in place of file descriptor 2 (libc's pipe and dup2, through
 * the foreign-function API), copies every line to the original stderr (the runner's log file), keeps
 * the last lines for error messages, and picks out the engine's own timing lines.
 */
final class NativeLog {
    private static final Pattern PROMPT = Pattern.compile("^\\s*prompt eval time =\\s*([\\d.]+) ms /\\s*(\\d+) tokens");
    private static final Pattern EVAL = Pattern.compile("^\\s*eval time =\\s*([\\d.]+) ms /\\s*(\\d+) tokens");
    private static final int KEPT_LINES = 200;
    private static final long COALESCE_MILLIS = 5;

    /** The engine's timings of one request, as llama-server reports them. */
    record Timings(int promptTokens, double promptMs, int generatedTokens, double generatedMs) {}

    private final Deque<String> lastLines = new ArrayDeque<>();
    private final BlockingQueue<Timings> timings = new LinkedBlockingQueue<>();
    private double pendingPromptMs = -1;
    private int pendingPromptTokens;

    private NativeLog() {}

    /** A log fed by hand (from a runner's log file), for picking out its relevant lines. */
    static NativeLog detached() {
        return new NativeLog();
    }

    /** Captures fd 2 from now on; returns null (and captures nothing) where libc cannot be reached. */
    static NativeLog capture() {
        NativeLog log = new NativeLog();
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            MethodHandle pipe = linker.downcallHandle(libc.find("pipe").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle dup = linker.downcallHandle(libc.find("dup").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle dup2 = linker.downcallHandle(libc.find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int readFd;
            int originalFd;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
                if ((int) pipe.invokeExact(fds) != 0) {
                    return null;
                }
                readFd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
                int writeFd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
                originalFd = (int) dup.invokeExact(2);
                if (originalFd < 0 || (int) dup2.invokeExact(writeFd, 2) < 0) {
                    return null;
                }
            }
            FileInputStream in = new FileInputStream("/proc/self/fd/" + readFd);
            OutputStream original = new FileOutputStream("/proc/self/fd/" + originalFd, true);
            Thread.ofPlatform().daemon().name("native-log").start(() -> log.pump(in, original));
            return log;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Copies and scans the log in bursts: after each read it waits a few milliseconds so that the lines
     * llama.cpp writes around a request cost this thread one wake-up, not one each. On a machine whose
     * cores all run the model, every wake-up here delays the engine (measured by bench/runner-overhead).
     */
    private void pump(FileInputStream in, OutputStream original) {
        byte[] buf = new byte[64 * 1024];
        StringBuilder partialLine = new StringBuilder();
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                original.write(buf, 0, n);
                original.flush();
                partialLine.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                int nl;
                while ((nl = partialLine.indexOf("\n")) >= 0) {
                    accept(partialLine.substring(0, nl));
                    partialLine.delete(0, nl + 1);
                }
                Thread.sleep(COALESCE_MILLIS);
            }
        } catch (IOException | InterruptedException ignored) {
            // the process is ending
        }
    }

    synchronized void accept(String line) {
        lastLines.addLast(line);
        if (lastLines.size() > KEPT_LINES) {
            lastLines.removeFirst();
        }
        Matcher p = PROMPT.matcher(line);
        if (p.find()) {
            pendingPromptMs = Double.parseDouble(p.group(1));
            pendingPromptTokens = Integer.parseInt(p.group(2));
            return;
        }
        Matcher e = EVAL.matcher(line);
        if (e.find() && pendingPromptMs >= 0) {
            timings.add(new Timings(pendingPromptTokens, pendingPromptMs, Integer.parseInt(e.group(2)),
                    Double.parseDouble(e.group(1))));
            pendingPromptMs = -1;
        }
    }

    /** Forgets timings of earlier requests, before a new one starts. */
    void clearTimings() {
        timings.clear();
    }

    /** The timings the engine prints when a request ends; they may trail its last token by a moment. */
    Timings awaitTimings(long millis) {
        try {
            return timings.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The last lines that look like errors, else the last few lines. */
    synchronized List<String> relevantLines(int max) {
        List<String> errors = new ArrayList<>();
        for (String l : lastLines) {
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("error") || lower.contains("failed") || lower.contains("unknown") || lower.contains("invalid")) {
                errors.add(l.strip());
            }
        }
        List<String> source = errors.isEmpty() ? new ArrayList<>(lastLines) : errors;
        return List.copyOf(source.subList(Math.max(0, source.size() - max), source.size()));
    }
}
