package dev.paddock.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.serving.RequestRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request log in a real SQLite file: bounded fields and a retention period. */
class JdbcRequestLogTest {
    @TempDir Path home;

    private static RequestRecord at(String id, String model, Instant started, String error) {
        return new RequestRecord(id, model, "local", "gateway", started, 5.0, 10, 1, 1, error == null ? RequestRecord.OK
                : RequestRecord.ERROR, error, null);
    }

    @Test
    void aHugeModelNameOrErrorIsCutBeforeItIsStored() {
        JdbcRequestLog log = new JdbcRequestLog(Database.open("jdbc:sqlite:" + home.resolve("p.db"), "", ""));
        Instant now = Instant.now();
        log.record(at("big", "m".repeat(1 << 20), now, "e".repeat(1 << 20)));

        RequestRecord stored = log.since(now.minusSeconds(1), null).getFirst();
        assertThat(stored.model()).hasSize(RequestRecord.MAX_NAME_CHARS).endsWith("…");
        assertThat(stored.error()).hasSize(RequestRecord.MAX_ERROR_CHARS);
        assertThat(home.resolve("p.db").toFile().length()).isLessThan(1 << 20);
    }

    @Test
    void requestsOlderThanTheRetentionAreDeletedAsNewOnesCome() {
        Database db = Database.open("jdbc:sqlite:" + home.resolve("p.db"), "", "");
        Instant now = Instant.now();
        JdbcRequestLog before = new JdbcRequestLog(db, Duration.ofDays(3650));
        before.record(at("old", "a:b", now.minus(Duration.ofDays(40)), null));
        before.record(at("recent", "a:b", now.minus(Duration.ofDays(2)), null));
        assertThat(before.since(Instant.EPOCH, null)).hasSize(2);

        JdbcRequestLog log = new JdbcRequestLog(db, Duration.ofDays(30));
        log.record(at("new", "a:b", now, null));

        assertThat(log.since(Instant.EPOCH, null)).extracting(RequestRecord::id).containsExactly("recent", "new");
    }

    @Test
    void toolCallsAndStructuredOutputsAreStoredWithTheRequest() {
        JdbcRequestLog log = new JdbcRequestLog(Database.open("jdbc:sqlite:" + home.resolve("p.db"), "", ""));
        Instant now = Instant.now();
        log.record(new RequestRecord("t", "m", "local", "gateway", now, 5.0, 10, 1, 1, RequestRecord.OK, null, null, 3, true));
        log.record(at("plain", "m", now.plusMillis(1), null));

        assertThat(log.since(now.minusSeconds(1), null)).extracting(RequestRecord::toolCalls, RequestRecord::structured)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, true), org.assertj.core.groups.Tuple.tuple(0, false));
    }
}
