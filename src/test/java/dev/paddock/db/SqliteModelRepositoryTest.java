package dev.paddock.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteModelRepositoryTest extends ModelRepositoryContract {
    @TempDir Path dir;

    @Override
    Database openDatabase() {
        return Database.open("jdbc:sqlite:" + dir.resolve("sub/paddock.db"), "", "");
    }

    @Test
    void usesWriteAheadLogging() throws Exception {
        Database db = openDatabase();
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
        assertThat(Files.exists(dir.resolve("sub/paddock.db"))).isTrue();
    }

    @Test
    void severalOpeningANewDatabaseAtOnceAllSucceed() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var opens = new java.util.ArrayList<java.util.concurrent.Future<Database>>();
            for (int i = 0; i < 4; i++) {
                opens.add(pool.submit(() -> Database.open("jdbc:sqlite:" + dir.resolve("race.db"), "", "")));
            }
            for (var f : opens) {
                assertThat(new JdbcModelRepository(f.get()).findAll()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void migratingTwiceIsHarmless() {
        openDatabase();
        Database again = openDatabase();
        assertThat(new JdbcModelRepository(again).findAll()).isEmpty();
    }

    @Test
    void theSchemaVersionConstantNamesTheNewestMigration() throws Exception {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            int newest = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max().orElseThrow();
            assertThat(Database.SCHEMA_VERSION).isEqualTo(newest);
        }
    }

    @Test
    void anUnsupportedUrlSaysWhatIsSupported() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://x/y", "", ""))
                .hasMessageContaining("use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
    }

    @Test
    void aDatabaseThatIsNotSqliteIsAClearError() throws Exception {
        Path bogus = dir.resolve("bogus.db");
        Files.writeString(bogus, "this is not a database, just text that is long enough to be read as a header. ".repeat(20));
        assertThatThrownBy(() -> Database.open("jdbc:sqlite:" + bogus, "", ""))
                .hasMessageStartingWith("cannot open the database jdbc:sqlite:" + bogus);
    }
}
