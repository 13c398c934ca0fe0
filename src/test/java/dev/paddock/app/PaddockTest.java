package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.config.PaddockConfig;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root holds a connection pool and HTTP clients; whoever makes it closes them. */
class PaddockTest {
    @TempDir Path home;

    @Test
    void closingReleasesThePoolAndTheClients() throws Exception { // a server's Paddock: it pools connections
        Map<String, String> env = Map.of("PADDOCK_HOME", home.toString(), "HOME", home.toString(), "PADDOCK_OLLAMA_URL", "http://127.0.0.1:9");
        Paddock paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, w -> {}, Clock.systemUTC(), true);
        var db = paddock.database();
        paddock.providers();
        paddock.pulls();
        try (var c = db.connection()) {
            assertThat(c.isValid(1)).isTrue();
        }

        paddock.close();

        assertThatThrownBy(db::connection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        paddock.close(); // twice is harmless
    }
}
