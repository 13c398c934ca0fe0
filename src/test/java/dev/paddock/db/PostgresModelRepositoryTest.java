package dev.paddock.db;

import dev.paddock.testing.PostgresServer;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
class PostgresModelRepositoryTest extends ModelRepositoryContract {
    @Override
    Database openDatabase() throws Exception {
        return Database.open(PostgresServer.shared().newDatabase(), "", "");
    }
}
