package dev.paddock.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The file at {@code manifests/<family>/<tag>}: which blob a name stands for. Written only once its
 * blob is in place, replaced atomically, so a manifest never points at a missing or partial blob.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int schemaVersion, String name, String digest, long sizeBytes, String format, String source,
        String addedAt) {
    public static final int SCHEMA_VERSION = 1;

    public Manifest {
        Objects.requireNonNull(name);
        Objects.requireNonNull(digest);
    }
}
