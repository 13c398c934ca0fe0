package dev.paddock.hardware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a hardware tool (nvidia-smi, rocm-smi, sysctl); tests stand in recorded outputs. */
@FunctionalInterface
public interface SystemTool {
    /** The tool's output: stdout when it succeeded; empty when it is not installed; {@link Failed} otherwise. */
    Optional<String> run(List<String> command);

    /** The tool ran and failed (a driver error, say); its message is worth showing. */
    final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message);
        }
    }

    /** The real thing: a process with a time limit. */
    SystemTool PROCESS = command -> {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Failed(command.getFirst() + " did not answer in 10 s");
            }
            if (p.exitValue() != 0) {
                throw new Failed(out.strip().lines().findFirst().orElse(command.getFirst() + " failed"));
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty(); // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    };
}
