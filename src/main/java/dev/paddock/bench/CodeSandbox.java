package dev.paddock.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs model-written Python in a child process that cannot hurt much: a scratch folder as its working
 * directory and home, an environment without secrets (API keys, tokens), resource limits (address space,
 * CPU seconds, file size, open files) through util-linux's {@code prlimit}, no network through a new network
 * namespace ({@code unshare -rn}) where the OS allows one, and a timeout that fires because the output is
 * drained on another thread. {@link Outcome#isolation()} says which of these were in force.
 */
final class CodeSandbox {
    record Outcome(Integer exitCode, boolean timedOut, String output, String isolation) {}

    static final long MEMORY_BYTES = 1L << 30;
    static final long FILE_BYTES = 16L << 20;
    static final int OUTPUT_KEPT_BYTES = 64 * 1024;

    private static volatile List<String> isolationPrefix;
    private static volatile String isolationDescription;
    private static volatile String python;

    private final Duration timeout;

    CodeSandbox(Duration timeout) {
        this.timeout = timeout;
    }

    Outcome runPython(String source) throws IOException, InterruptedException {
        probe();
        Path scratch = Files.createTempDirectory("paddock-sandbox-");
        try {
            Path file = Files.writeString(scratch.resolve("answer.py"), source);
            List<String> cmd = new ArrayList<>(isolationPrefix);
            cmd.addAll(List.of(python, "-I", file.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(scratch.toFile()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG") && !k.startsWith("LC_"));
            env.put("HOME", scratch.toString());
            env.put("TMPDIR", scratch.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread drain = Thread.ofVirtual().start(() -> keepHead(p.getInputStream(), out));
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            drain.join(Duration.ofSeconds(5));
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            return new Outcome(done ? p.exitValue() : null, !done, text, isolationDescription + ", " + timeout.toSeconds() + " s timeout");
        } finally {
            deleteTree(scratch);
        }
    }

    /** Keeps the first bytes of the output and reads (and drops) the rest, so the child never blocks on a full pipe. */
    private static void keepHead(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    if (out.size() < OUTPUT_KEPT_BYTES) {
                        out.write(buf, 0, Math.min(n, OUTPUT_KEPT_BYTES - out.size()));
                    }
                }
            }
        } catch (IOException closed) {
            // the child was killed
        }
    }

    /** Finds, once, which isolation this machine allows and the real Python executable (not a shell shim). */
    private static synchronized void probe() {
        if (isolationPrefix != null) {
            return;
        }
        List<String> prefix = new ArrayList<>();
        List<String> said = new ArrayList<>(List.of("scratch folder"));
        if (works(List.of("unshare", "-rn", "true"))) {
            prefix.addAll(List.of("unshare", "-rn"));
            said.add("no network (unshare)");
        } else {
            said.add("network NOT isolated (unshare unavailable)");
        }
        List<String> limits = List.of("prlimit", "--as=" + MEMORY_BYTES, "--fsize=" + FILE_BYTES, "--nofile=64", "--cpu=60", "--");
        if (works(Stream.concat(limits.stream(), Stream.of("true")).toList())) {
            prefix.addAll(limits);
            said.add("limits of 1 GiB memory, 16 MiB files, 64 open files (prlimit)");
        } else {
            said.add("no resource limits (prlimit unavailable)");
        }
        python = realPython();
        isolationDescription = String.join(", ", said);
        isolationPrefix = List.copyOf(prefix);
    }

    private static String realPython() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out)) ? out : "python3";
        } catch (IOException e) {
            return "python3";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "python3";
        }
    }

    private static boolean works(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
