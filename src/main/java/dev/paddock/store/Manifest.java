package dev.paddock.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The file at {@code manifests/<family>/<tag>}: which blob a name stands for. Written only once its
 * blob is in place, replaced atomically, so a manifest never points at a missing or partial blob.
 *
 * @param linked for a model used where it lies ({@code import --link}): the file, its size and modification time
 *     when it was hashed; its blob is a symbolic link to it. Null for a copy in the store.
 * @param projector the model's multimodal projector (an mmproj file, which llama-server loads beside it for images),
 *     a blob of its own; null for a text-only model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int schemaVersion, String name, String digest, long sizeBytes, String format, String source,
        String addedAt, Link linked, Projector projector) {
    public static final int SCHEMA_VERSION = 1;

    /** A linked file as it was when hashed. */
    public record Link(String path, long sizeBytes, long modifiedMillis) {}

    /** A projector's blob, and the file it is linked to when the model's own file is used where it lies. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Projector(String digest, long sizeBytes, String source, Link linked) {
        public Projector {
            Objects.requireNonNull(digest);
        }

        Projector relinked(long sizeBytes, long modifiedMillis) {
            return new Projector(digest, sizeBytes, source, new Link(linked.path(), sizeBytes, modifiedMillis));
        }
    }

    public Manifest {
        Objects.requireNonNull(name);
        Objects.requireNonNull(digest);
    }

    public Manifest(int schemaVersion, String name, String digest, long sizeBytes, String format, String source, String addedAt) {
        this(schemaVersion, name, digest, sizeBytes, format, source, addedAt, null, null);
    }

    Manifest relinked(long sizeBytes, long modifiedMillis) {
        return new Manifest(schemaVersion, name, digest, sizeBytes, format, source, addedAt, new Link(linked.path(), sizeBytes, modifiedMillis),
                projector);
    }

    Manifest withProjector(Projector p) {
        return new Manifest(schemaVersion, name, digest, sizeBytes, format, source, addedAt, linked, p);
    }
}
