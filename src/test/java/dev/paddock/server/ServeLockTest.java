package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeLockTest {
    @TempDir Path home;

    @Test
    void oneServerPerHomeAndTheSecondIsToldWhichHoldsIt() {
        try (ServeLock first = ServeLock.acquire(home)) {
            first.listening("http://127.0.0.1:7701/");
            assertThatThrownBy(() -> ServeLock.acquire(home))
                    .hasMessageContaining("another paddock serve (pid " + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("at http://127.0.0.1:7701/", "another --home");
        }
        ServeLock.acquire(home).close(); // released with the first
    }

    @Test
    void aBusyPortIsSaidPlainly() throws Exception {
        Map<String, String> env = Map.of("PADDOCK_HOME", home.toString(), "PADDOCK_OLLAMA_URL", "http://127.0.0.1:9");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Paddock paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, w -> {}, Clock.systemUTC(), true)) {
            assertThatThrownBy(() -> PaddockServer.start(paddock, ServerSettings.loopback(busy.getLocalPort()), "test", line -> {}))
                    .hasMessage("cannot listen on 127.0.0.1:" + busy.getLocalPort()
                            + ": the port is in use (another paddock serve, or another program); choose another with --port");
        }
    }
}
