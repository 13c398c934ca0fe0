package dev.paddock.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import dev.paddock.store.StoredModel;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same repository tests, run against every database Paddock supports. */
abstract class ModelRepositoryContract {
    private JdbcModelRepository repo;

    abstract Database openDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        repo = new JdbcModelRepository(openDatabase());
    }

    static StoredModel model(String name, char digit, Instant added) {
        return new StoredModel(ModelName.parse(name), new Digest(String.valueOf(digit).repeat(64)), 1234, "gguf", "llama",
                854_400L, "F32", 2048L, "/tmp/x.gguf", added, null);
    }

    @Test
    void savesFindsAndListsModelsByName() {
        Instant t = Instant.parse("2026-11-01T10:00:00Z");
        repo.save(model("b:latest", 'b', t));
        repo.save(model("a:1", 'a', t));

        assertThat(repo.find(ModelName.parse("a:1"))).contains(model("a:1", 'a', t));
        assertThat(repo.findAll()).extracting(m -> m.name().toString()).containsExactly("a:1", "b:latest");
        assertThat(repo.find(ModelName.parse("c"))).isEmpty();
    }

    @Test
    void savingAgainReplacesTheRow() {
        Instant t = Instant.parse("2026-11-01T10:00:00Z");
        repo.save(model("a", 'a', t));
        repo.save(model("a", 'c', t.plusSeconds(5)));

        assertThat(repo.findAll()).singleElement().satisfies(m -> {
            assertThat(m.digest().hex()).startsWith("ccc");
            assertThat(m.addedAt()).isEqualTo(t.plusSeconds(5));
        });
    }

    @Test
    void keepsNullFactsAsNull() {
        StoredModel bare = new StoredModel(ModelName.parse("bare"), new Digest("d".repeat(64)), 10, "gguf", null, null,
                null, null, null, Instant.parse("2026-01-01T00:00:00Z"), null);
        repo.save(bare);
        assertThat(repo.find(bare.name())).contains(bare);
    }

    @Test
    void marksUseAndDeletes() {
        Instant t = Instant.parse("2026-11-01T10:00:00Z");
        repo.save(model("a", 'a', t));
        repo.markUsed(ModelName.parse("a"), t.plusSeconds(60));

        assertThat(repo.find(ModelName.parse("a")).orElseThrow().lastUsedAt()).isEqualTo(t.plusSeconds(60));
        assertThat(repo.delete(ModelName.parse("a"))).isTrue();
        assertThat(repo.delete(ModelName.parse("a"))).isFalse();
        assertThat(repo.findAll()).isEmpty();
    }
}
