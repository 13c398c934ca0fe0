package dev.paddock.engine;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a build tool to its end with its output always read (appended to a log, each line also offered to a
 * listener), and takes the whole process tree down when the calling thread is interrupted or this JVM exits:
 * a cancelled install or a Ctrl-C during a build leaves no compiler running.
 */
final class ChildProcess {
    private ChildProcess() {}

    /** Runs the command in {@code dir}; returns its exit code. */
    static int run(List<String> command, Path dir, Map<String, String> env, Path log, Consumer<String> lines) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        Writer out;
        try {
            Files.createDirectories(log.getParent());
            out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.write("$ " + String.join(" ", command) + "\n");
            out.flush();
        } catch (IOException e) {
            throw PaddockException.storage("cannot write " + log + ": " + e.getMessage(), e);
        }
        try {
            p = pb.start();
        } catch (IOException e) {
            close(out);
            throw new PaddockException(ErrorCode.INVALID_INPUT, "cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        Thread killer = new Thread(() -> destroyTree(p), "paddock-build-abandoned");
        Runtime.getRuntime().addShutdownHook(killer);
        // the reader runs beside the waiting thread, so an interrupt is seen even while the tool prints nothing
        Thread drain = Thread.ofVirtual().name("paddock-build-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    lines.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                close(out);
            }
        });
        try {
            int code = p.waitFor();
            drain.join();
            return code;
        } catch (InterruptedException e) {
            destroyTree(p);
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "the build was interrupted; nothing was installed");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and ends the build
            }
        }
    }

    private static void close(Writer out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the log lost its last lines; the build's outcome stands
        }
    }

    static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
