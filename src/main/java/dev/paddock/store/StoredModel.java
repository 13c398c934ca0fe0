package dev.paddock.store;

import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import java.time.Instant;
import java.util.Objects;

/** A model in the local store: its name, its blob, and the facts read from the blob's header at import. */
public record StoredModel(
        ModelName name,
        Digest digest,
        long sizeBytes,
        String format,
        String architecture,
        Long parameterCount,
        String quantization,
        Long contextLength,
        String source,
        Instant addedAt,
        Instant lastUsedAt) {

    public StoredModel {
        Objects.requireNonNull(name);
        Objects.requireNonNull(digest);
        Objects.requireNonNull(addedAt);
    }
}
