package dev.paddock.store;

import dev.paddock.model.ModelName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where the store keeps what it knows about each model (the database). */
public interface ModelRepository {
    void save(StoredModel model);

    Optional<StoredModel> find(ModelName name);

    List<StoredModel> findAll();

    boolean delete(ModelName name);

    void markUsed(ModelName name, Instant when);
}
