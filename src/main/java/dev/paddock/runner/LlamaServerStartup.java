package dev.paddock.runner;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Starting a llama-server: a free loopback port for it, then waiting until its {@code /health} answers (runner and smoke test). */
public final class LlamaServerStartup {
    private LlamaServerStartup() {}

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Empty once {@code /health} answers 200; else why not (the process exited, or the timeout passed). */
    public static Optional<String> awaitHealthy(Process p, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return Optional.of("llama-server exited with code " + p.exitValue() + " while loading the model");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return Optional.empty();
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        return Optional.of("llama-server was not ready after " + timeout.toSeconds() + " s");
    }
}
