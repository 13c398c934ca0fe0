package dev.paddock.server;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code paddock serve} per home: two would each start runners for the same models and each think the
 * active model theirs. The lock is the operating system's on {@code serve.lock} (gone with the process, however
 * it ends); the file says which process holds it and where it listens, for the second one's message.
 */
public final class ServeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ServeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static ServeLock acquire(Path home) {
        Path file = home.resolve("serve.lock");
        try {
            Files.createDirectories(home);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very process (a second server in one JVM)
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                ch.close();
                String[] parts = holder.split(" ", 2);
                throw new PaddockException(ErrorCode.CONFLICT, "another paddock serve" + (parts[0].matches("\\d+") ? " (pid " + parts[0] + ")" : "")
                        + " is serving " + home + (parts.length == 2 ? " at " + parts[1] : "") + "; stop it first, or give this one another --home");
            }
            return new ServeLock(ch, lock);
        } catch (IOException e) {
            throw PaddockException.storage("cannot use " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records who holds the lock, once the server listens. */
    public void listening(String url) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + url + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            // only the other server's message would lack the details
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is ending: the OS drops the lock anyway
        }
    }
}
