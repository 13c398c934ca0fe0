package dev.paddock.store;

import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import java.nio.file.Path;

/**
 * Where things live below the home folder. Model names are validated before they get here, so a
 * manifest path never leaves {@code manifests/}.
 */
public record StoreLayout(Path home) {
    public StoreLayout {
        home = home.toAbsolutePath().normalize();
    }

    public Path blobs() {
        return home.resolve("blobs");
    }

    public Path manifests() {
        return home.resolve("manifests");
    }

    public Path partial() {
        return home.resolve("partial");
    }

    /** Scratch files of imports in progress; named after their process so leftovers of dead ones can go. */
    public Path tmp() {
        return home.resolve("tmp");
    }

    public Path blob(Digest digest) {
        return blobs().resolve(digest.blobFileName());
    }

    public Path manifest(ModelName name) {
        Path p = manifests().resolve(name.family()).resolve(name.tag()).normalize();
        if (!p.startsWith(manifests())) {
            throw new IllegalStateException("manifest path escapes the store: " + name);
        }
        return p;
    }

    Path lockFile() {
        return home.resolve("store.lock");
    }
}
