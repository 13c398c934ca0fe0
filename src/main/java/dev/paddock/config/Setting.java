package dev.paddock.config;

import java.util.List;
import java.util.Locale;

/**
 * One setting, declared once: its key in {@code config.toml} ({@code section.name}), its environment
 * variable, its default and what it does. {@code paddock config} prints exactly this list.
 */
public record Setting(String key, String defaultValue, String description, boolean secret) {

    public static final Setting HOME = new Setting("home", "~/.paddock",
            "Folder holding models, downloads, the database and config.toml (flag --home or PADDOCK_HOME only)", false);
    public static final Setting DATABASE_URL = new Setting("database.url", "jdbc:sqlite:<home>/paddock.db",
            "JDBC URL of the database: SQLite by default, or jdbc:postgresql://host/db", false);
    public static final Setting DATABASE_USER = new Setting("database.user", "",
            "Database user (PostgreSQL)", false);
    public static final Setting DATABASE_PASSWORD = new Setting("database.password", "",
            "Database password (PostgreSQL); shown redacted", true);
    public static final Setting LOG_LEVEL = new Setting("log.level", "warn",
            "Diagnostics on stderr: error, warn, info, debug (--verbose sets debug)", false);

    public static final List<Setting> ALL = List.of(HOME, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, LOG_LEVEL);

    /** {@code database.url} → {@code PADDOCK_DATABASE_URL}. */
    public String environmentVariable() {
        return "PADDOCK_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public static Setting byKey(String key) {
        return ALL.stream().filter(s -> s.key.equals(key)).findFirst().orElse(null);
    }
}
