package dev.paddock.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * SHA-256 of a file being written out of order: follows the contiguous prefix (whole pieces, then the
 * written part of the first unfinished one, which connections fill from its start) and hashes it from the
 * page cache right behind the download, so little is left to hash after the last byte.
 */
final class OrderedHasher implements Runnable {
    private final Path file;
    private final long[] starts;
    private final long[] lengths;
    private final AtomicLongArray done;
    private final MessageDigest sha;
    private final Object signal = new Object();
    private volatile long finalSize = -1;
    private volatile boolean abandoned;
    private volatile IOException failure;
    private volatile long hashed;
    private String result;

    OrderedHasher(Path file, long[] starts, long[] lengths, AtomicLongArray done) {
        this.file = file;
        this.starts = starts;
        this.lengths = lengths;
        this.done = done;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Wakes the hasher: more bytes are on disk. */
    void poke() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** The file is complete at {@code size} bytes; the hasher finishes and {@link #await} returns the digest. */
    void complete(long size) {
        finalSize = size;
        poke();
    }

    void abandon() {
        abandoned = true;
        poke();
    }

    long hashedBytes() {
        return hashed;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (!abandoned) {
                long frontier = frontier();
                if (hashed < frontier) {
                    buf.clear().limit((int) Math.min(buf.capacity(), frontier - hashed));
                    int n = ch.read(buf, hashed);
                    if (n <= 0) {
                        throw new IOException("the partial file is shorter than its recorded progress");
                    }
                    buf.flip();
                    sha.update(buf);
                    hashed += n;
                    continue;
                }
                if (finalSize >= 0 && hashed >= finalSize) {
                    synchronized (this) {
                        result = HexFormat.of().formatHex(sha.digest());
                        notifyAll();
                    }
                    return;
                }
                synchronized (signal) {
                    signal.wait(50);
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /** Bytes from the start of the file that are all written. */
    private long frontier() {
        long f = 0;
        for (int i = 0; i < starts.length; i++) {
            long d = done.get(i);
            f = starts[i] + d;
            if (d < lengths[i]) {
                break;
            }
        }
        return finalSize >= 0 ? Math.min(f, finalSize) : f;
    }

    synchronized String await() throws IOException, InterruptedException {
        while (result == null && failure == null && !abandoned) {
            wait(100);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
