package dev.paddock.store;

import dev.paddock.model.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Copies a file while computing its SHA-256, and makes the copy durable before anyone may rename it. */
final class BlobCopy {
    private static final int BUFFER_BYTES = 1 << 20;

    record Result(Digest digest, long sizeBytes) {}

    private BlobCopy() {}

    static Result copy(Path source, Path target, ImportProgress progress) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES);
        long done = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long total = in.size();
            while (in.read(buf) >= 0) {
                buf.flip();
                sha.update(buf.duplicate());
                while (buf.hasRemaining()) {
                    done += out.write(buf);
                }
                buf.clear();
                progress.copied(done, total);
            }
            out.force(true);
        }
        return new Result(Digest.ofBytes(sha.digest()), done);
    }

    /** The SHA-256 of a file, read once; nothing is written. */
    static Digest hash(Path source, ImportProgress progress) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES);
        long done = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            long total = in.size();
            int n;
            while ((n = in.read(buf)) >= 0) {
                buf.flip();
                sha.update(buf);
                buf.clear();
                done += n;
                progress.copied(done, total);
            }
        }
        return Digest.ofBytes(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
