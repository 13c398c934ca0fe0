package dev.paddock.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database behind every repository: SQLite in WAL mode by default, PostgreSQL given a
 * {@code jdbc:postgresql:} URL. Opening it applies the migrations in {@code db/migration}.
 */
public final class Database implements AutoCloseable {
    /** The version of the newest file in db/migration; a test keeps the two in step. */
    static final int SCHEMA_VERSION = 13;

    private final DataSource dataSource;
    private final String url;

    private Database(DataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    public static Database open(String url, String user, String password) {
        return open(url, user, password, true);
    }

    /**
     * @param pooled a connection pool, for a server's many threads; a CLI command opens a connection when it
     *     needs one instead (a pool's start-up costs more than the few connections a command opens)
     */
    public static Database open(String url, String user, String password, boolean pooled) {
        DataSource raw = dataSource(url, user, password);
        new Database(raw, url).migrate(); // unpooled: a database that cannot be opened says so at once, not after a pool's wait
        return new Database(pooled ? pooled(raw, url) : raw, url);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** The URL as messages show it: a password in it is masked. */
    public String url() {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** A small pool that opens connections only when asked (a CLI command uses one) and keeps them a minute. */
    private static DataSource pooled(DataSource raw, String url) {
        HikariConfig c = new HikariConfig();
        c.setDataSource(raw);
        c.setPoolName("paddock-db");
        c.setMinimumIdle(0);
        c.setMaximumPoolSize(url.startsWith("jdbc:sqlite:") ? 4 : 8);
        c.setIdleTimeout(60_000);
        c.setConnectionTimeout(15_000);
        c.setInitializationFailTimeout(-1); // the first use reports a bad URL or an unreachable server, as before
        return new HikariDataSource(c);
    }

    private static DataSource dataSource(String url, String user, String password) {
        if (url.startsWith("jdbc:sqlite:")) {
            String file = url.substring("jdbc:sqlite:".length());
            if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:")) {
                try {
                    Path parent = Path.of(file).toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                } catch (java.io.IOException e) {
                    throw PaddockException.storage("cannot create the folder for the database " + file + ": " + e.getMessage(), e);
                }
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(15_000);
            config.enforceForeignKeys(true);
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl(url);
            return ds;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            if (!user.isEmpty()) {
                ds.setUser(user);
            }
            if (!password.isEmpty()) {
                ds.setPassword(password);
            }
            return ds;
        }
        throw PaddockException.invalidInput("unsupported database URL \"" + url
                + "\"; use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB (setting database.url)");
    }

    private void migrate() {
        if (upToDate()) {
            return; // Flyway's start-up costs ~0.3 s, too much for every CLI command
        }
        Path lockFile = sqliteFile().map(f -> f.resolveSibling(f.getFileName() + ".migrate.lock")).orElse(null);
        if (lockFile == null) {
            runFlyway(); // PostgreSQL: Flyway takes an advisory lock itself
            return;
        }
        // Two processes (or threads) opening a new SQLite database at once must not both migrate it.
        synchronized (Database.class) {
            lockAndMigrate(lockFile);
        }
    }

    private void lockAndMigrate(Path lockFile) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock ignored = ch.lock()) {
            if (!upToDate()) {
                runFlyway();
            }
        } catch (java.io.IOException e) {
            throw PaddockException.storage("cannot lock " + lockFile + " to prepare the database: " + e.getMessage(), e);
        }
    }

    private java.util.Optional<Path> sqliteFile() {
        if (!isSqlite()) {
            return java.util.Optional.empty();
        }
        String file = url.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        file = q < 0 ? file : file.substring(0, q);
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Path.of(file).toAbsolutePath());
    }

    private void runFlyway() {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new PaddockException(ErrorCode.STORAGE, "cannot open the database " + url() + ": " + rootMessage(e), e);
        }
    }

    private boolean upToDate() {
        try (Connection c = connection();
                var rs = c.createStatement().executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success = " + (isSqlite() ? "1" : "TRUE"))) {
            int newest = 0;
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null && v.matches("\\d+")) {
                    newest = Math.max(newest, Integer.parseInt(v));
                }
            }
            return newest == SCHEMA_VERSION;
        } catch (SQLException e) {
            return false; // no history table yet: a new database
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Closes the pool's connections. */
    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }
}
