package dev.paddock.store;

import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the short steps that change which blobs are referenced (install a blob and its manifest;
 * collect garbage), across threads and across processes. Copying and hashing happen outside it.
 */
final class StoreLock {
    private final Path file;
    private final ReentrantLock inProcess = new ReentrantLock();

    StoreLock(Path file) {
        this.file = file;
    }

    interface Step<T> {
        T run() throws IOException;
    }

    <T> T holding(Step<T> step) throws IOException {
        inProcess.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                return step.run();
            }
        } finally {
            inProcess.unlock();
        }
    }

    static PaddockException failed(String what, IOException e) {
        return PaddockException.storage(what + ": " + e.getMessage(), e);
    }
}
