package dev.paddock.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./paddock} as a real process, the way a user does. */
public final class PaddockProcess {
    private PaddockProcess() {}

    public record Result(int exitCode, String out, String err) {}

    public static Path repo() {
        return Path.of(System.getProperty("paddock.repo", ".")).toAbsolutePath();
    }

    public static ProcessBuilder builder(Path home, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(repo().resolve("paddock").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo().toFile());
        pb.environment().put("PADDOCK_HOME", home.toString());
        pb.environment().putAll(env);
        return pb;
    }

    public static Result run(Path home, String... args) throws IOException, InterruptedException {
        return run(builder(home, Map.of(), args));
    }

    public static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("paddock did not finish within 5 minutes: " + pb.command());
        }
        return new Result(p.exitValue(), out, err.join());
    }
}
