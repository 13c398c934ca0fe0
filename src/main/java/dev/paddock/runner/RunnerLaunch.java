package dev.paddock.runner;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts one runner process from this same installation and waits until it says it is ready. */
final class RunnerLaunch {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A runner that is ready; {@code registered} must run once it is in the registry (until then Ctrl-C ends it). */
    /** {@code controlPort} answers /health with the keep-alive left; the same as {@code port} for the embedded engine. */
    record Started(Process process, int port, int controlPort, String token, Runnable registered) {}

    private RunnerLaunch() {}

    static Started start(RunnerSettings settings, Path nativeDir, Path logFile, Duration timeout) {
        String token = HexFormat.of().formatHex(bytes(32));
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // its own session: a Ctrl-C or hang-up of the terminal does not reach it
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m",
                "-Dde.kherud.llama.tmpdir=" + nativeDir, "-cp", System.getProperty("java.class.path"),
                RunnerMain.class.getName()));
        command.addAll(settings.toArgs());
        // Ctrl-C while the model loads: the runner is not registered yet, so it must not live on unseen by "ps".
        // The hook is in place before the runner exists, and a runner is never started once the hook has run.
        Object guard = new Object();
        Process[] child = {null};
        boolean[] shuttingDown = {false};
        Thread unregistered = new Thread(() -> {
            synchronized (guard) {
                shuttingDown[0] = true;
                if (child[0] != null) {
                    child[0].destroyForcibly();
                }
            }
        }, "paddock-runner-abandoned");
        try {
            Runtime.getRuntime().addShutdownHook(unregistered);
        } catch (IllegalStateException alreadyShuttingDown) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "Paddock is shutting down; no runner was started for " + settings.modelName());
        }
        Process p;
        try {
            Files.createDirectories(nativeDir);
            Files.createDirectories(logFile.getParent());
            Files.deleteIfExists(logFile); // a fresh log, made as the runner starts; it and its llama-server append to it
            synchronized (guard) {
                if (shuttingDown[0]) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "Paddock is shutting down; no runner was started for "
                            + settings.modelName());
                }
                p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
                child[0] = p;
            }
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write((token + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            removeHook(unregistered);
            throw PaddockException.storage("cannot start a runner for " + settings.modelName() + ": " + e.getMessage(), e);
        } catch (PaddockException e) {
            removeHook(unregistered);
            throw e;
        }
        Runnable disarm = () -> removeHook(unregistered);
        String line;
        try {
            line = awaitLine(p, timeout, settings, logFile);
        } catch (RuntimeException e) {
            disarm.run();
            throw e;
        }
        if (line != null && line.startsWith(RunnerMain.READY)) {
            String[] ports = line.substring(RunnerMain.READY.length()).strip().split("\\s+");
            int port = Integer.parseInt(ports[0]);
            return new Started(p, port, ports.length > 1 ? Integer.parseInt(ports[1]) : port, token, disarm);
        }
        disarm.run();
        p.destroyForcibly();
        String why = line != null && line.startsWith(RunnerMain.FAILED) ? line.substring(RunnerMain.FAILED.length())
                : "it exited" + exitText(p) + lastLines(logFile);
        boolean diskFull = why.contains("No space left on device") || logMentions(logFile, "No space left on device");
        throw new PaddockException(diskFull ? ErrorCode.STORAGE : ErrorCode.INVALID_MODEL, "the runner for " + settings.modelName()
                + " did not start: " + (diskFull ? "the disk is full (free space in " + nativeDir.getParent() + ", then try again); " : "")
                + why + " (log: " + logFile + ")");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now and ends the half-loaded runner
        }
    }

    private static String awaitLine(Process p, Duration timeout, RunnerSettings settings, Path logFile) {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.startsWith(RunnerMain.READY) || l.startsWith(RunnerMain.FAILED)) {
                        return l;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }, task -> Thread.ofVirtual().name("paddock-runner-ready").start(task)); // blocking reads stay out of the common pool,
        // which has one thread on two cores: a caller's own task there would hold up every load
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            // a slow disk or a large model on a busy machine: nothing is broken, the limit is too tight
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the runner for " + settings.modelName() + " was not ready after "
                    + timeout.toSeconds() + " s; a large model on a slow disk may need more: raise runner.start_timeout"
                    + lastLines(logFile) + " (log: " + logFile + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while the runner started", e);
        } catch (ExecutionException e) {
            return null;
        }
    }

    static String exitText(Process p) {
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                return "";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
        int code = p.exitValue();
        return code > 128 ? " (killed by signal " + (code - 128) + ")" : " (exit code " + code + ")";
    }

    /**
     * Whether the runner of this log ended by itself as it should (its keep-alive passed, or the process it
     * served went away): its last word is then its own goodbye line, which a crash never writes.
     */
    static boolean endedByItself(Path logFile) {
        try (var ch = java.nio.channels.FileChannel.open(logFile)) {
            long from = Math.max(0, ch.size() - 4096);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (ch.size() - from));
            ch.read(buf, from);
            String tail = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            String last = tail.substring(tail.lastIndexOf('\n') + 1);
            return last.startsWith(GOODBYE) && !last.contains("llama-server exited");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean logMentions(Path logFile, String text) {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8).contains(text);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** How a runner's log says it leaves (RunnerMain writes it). */
    static final String GOODBYE = "paddock runner: exiting (";

    /** The runner log's last error-looking lines, for a message. */
    static String lastLines(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            NativeLog view = NativeLog.detached();
            lines.forEach(view::accept);
            List<String> relevant = view.relevantLines(3);
            return relevant.isEmpty() ? "" : ": " + String.join(" | ", relevant);
        } catch (IOException e) {
            return "";
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
