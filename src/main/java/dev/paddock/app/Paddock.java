package dev.paddock.app;

import dev.paddock.config.PaddockConfig;
import dev.paddock.config.Setting;
import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.gguf.GgufReader;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The composition root: builds every service from the configuration, through constructors, once and
 * only when first asked for (so {@code paddock config} never opens the database).
 */
public final class Paddock {
    private final PaddockConfig config;
    private final Consumer<String> warnings;
    private final Clock clock;
    private Database database;
    private ModelStore store;

    public Paddock(PaddockConfig config, Consumer<String> warnings, Clock clock) {
        this.config = config;
        this.warnings = warnings;
        this.clock = clock;
        config.warnings().forEach(warnings);
    }

    public PaddockConfig config() {
        return config;
    }

    public synchronized Database database() {
        if (database == null) {
            database = Database.open(config.get(Setting.DATABASE_URL), config.get(Setting.DATABASE_USER),
                    config.get(Setting.DATABASE_PASSWORD));
        }
        return database;
    }

    public synchronized ModelStore store() {
        if (store == null) {
            store = new ModelStore(new StoreLayout(config.home()), new JdbcModelRepository(database()), new GgufReader(),
                    clock, warnings);
        }
        return store;
    }
}
