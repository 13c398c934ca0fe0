package dev.paddock.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The file at {@code manifests/<family>/<tag>}: which blob a name stands for. Written only once its
 * blob is in place, replaced atomically, so a manifest never points at a missing or partial blob.
 *
 * @param linked for a model used where it lies ({@code import --link}): the file, its size and modification time
 *     when it was hashed; its blob is a symbolic link to it. Null for a copy in the store.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int schemaVersion, String name, String digest, long sizeBytes, String format, String source,
        String addedAt, Link linked) {
    public static final int SCHEMA_VERSION = 1;

    /** A linked file as it was when hashed. */
    public record Link(String path, long sizeBytes, long modifiedMillis) {}

    public Manifest {
        Objects.requireNonNull(name);
        Objects.requireNonNull(digest);
    }

    public Manifest(int schemaVersion, String name, String digest, long sizeBytes, String format, String source, String addedAt) {
        this(schemaVersion, name, digest, sizeBytes, format, source, addedAt, null);
    }

    Manifest relinked(long sizeBytes, long modifiedMillis) {
        return new Manifest(schemaVersion, name, digest, sizeBytes, format, source, addedAt, new Link(linked.path(), sizeBytes, modifiedMillis));
    }
}
