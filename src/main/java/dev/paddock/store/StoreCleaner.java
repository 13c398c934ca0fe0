package dev.paddock.store;

import dev.paddock.model.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/** Garbage collection: blobs no manifest references, and scratch files left by processes that died. */
final class StoreCleaner {
    private final StoreLayout layout;
    private final Manifests manifests;
    private final Consumer<String> warnings;

    StoreCleaner(StoreLayout layout, Manifests manifests, Consumer<String> warnings) {
        this.layout = layout;
        this.manifests = manifests;
        this.warnings = warnings;
    }

    long collect(StoreLock lock) throws IOException {
        long freed = lock.holding(this::unreferencedBlobs);
        return freed + deadScratchFiles();
    }

    private long unreferencedBlobs() throws IOException {
        if (!Files.isDirectory(layout.blobs())) {
            return 0;
        }
        Set<String> referenced = new HashSet<>();
        manifests.all().values().forEach(m -> {
            referenced.add(Digest.parse(m.digest()).blobFileName());
            if (m.projector() != null) {
                referenced.add(Digest.parse(m.projector().digest()).blobFileName());
            }
        });
        long freed = 0;
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(layout.blobs(), "sha256-*")) {
            for (Path blob : blobs) {
                if (!referenced.contains(blob.getFileName().toString())) {
                    // a linked model's blob is a symbolic link: deleting it leaves the user's file alone
                    long size = Files.isSymbolicLink(blob) ? 0 : Files.size(blob);
                    Files.delete(blob);
                    freed += size;
                }
            }
        }
        return freed;
    }

    /** Scratch files are named {@code import-<pid>-…}; those of processes no longer alive are leftovers. */
    long deadScratchFiles() throws IOException {
        if (!Files.isDirectory(layout.tmp())) {
            return 0;
        }
        long freed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.tmp())) {
            for (Path f : files) {
                String[] parts = f.getFileName().toString().split("-", 3);
                if (parts.length < 3) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                try {
                    long size = Files.size(f);
                    Files.deleteIfExists(f);
                    freed += size;
                } catch (IOException e) {
                    warnings.accept("cannot remove leftover " + f + ": " + e.getMessage());
                }
            }
        }
        return freed;
    }
}
