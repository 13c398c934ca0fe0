package dev.paddock.store;

import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import java.time.Instant;
import java.util.Objects;

/**
 * A model in the local store: its name, its blob, and the facts read from the blob's header at import.
 *
 * @param projector its multimodal projector (mmproj), for images; null for a text-only model
 */
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
        Instant lastUsedAt,
        Projector projector) {

    /** A projector's blob. */
    public record Projector(Digest digest, long sizeBytes) {}

    public StoredModel(ModelName name, Digest digest, long sizeBytes, String format, String architecture, Long parameterCount,
            String quantization, Long contextLength, String source, Instant addedAt, Instant lastUsedAt) {
        this(name, digest, sizeBytes, format, architecture, parameterCount, quantization, contextLength, source, addedAt, lastUsedAt, null);
    }

    /** The size of the model's vision projector, 0 when it has none. */
    public long projectorBytes() {
        return projector == null ? 0 : projector.sizeBytes();
    }

    /** Whether the model takes images: a vision projector is installed with it. */
    public boolean vision() {
        return projector != null;
    }

    public StoredModel {
        Objects.requireNonNull(name);
        Objects.requireNonNull(digest);
        Objects.requireNonNull(addedAt);
    }
}
