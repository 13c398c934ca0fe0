package dev.paddock.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads from a file through one 64 KiB buffer. Skips beyond the buffer seek instead of
 * reading, so long fixed-size arrays cost nothing; {@link #bytesRead()} counts what came off the disk.
 */
final class GgufInput {
    static final int BUFFER_BYTES = 64 * 1024;

    private final FileChannel channel;
    private final long fileSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart; // file position of buffer[0]
    private long bytesRead;
    private String context = "the header";

    GgufInput(FileChannel channel, long fileSize) {
        this.channel = channel;
        this.fileSize = fileSize;
        buffer.limit(0);
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return fileSize - position();
    }

    long fileSize() {
        return fileSize;
    }

    long bytesRead() {
        return bytesRead;
    }

    /** Names what is being read, for the message when the file ends early. */
    void context(String what) {
        this.context = what;
    }

    int u8() throws IOException {
        require(1);
        return buffer.get() & 0xff;
    }

    int u16() throws IOException {
        require(2);
        return buffer.getShort() & 0xffff;
    }

    short i16() throws IOException {
        require(2);
        return buffer.getShort();
    }

    long u32() throws IOException {
        require(4);
        return buffer.getInt() & 0xffffffffL;
    }

    int i32() throws IOException {
        require(4);
        return buffer.getInt();
    }

    long u64() throws IOException {
        require(8);
        return buffer.getLong();
    }

    float f32() throws IOException {
        require(4);
        return buffer.getFloat();
    }

    double f64() throws IOException {
        require(8);
        return buffer.getDouble();
    }

    String utf8(int length) throws IOException {
        if (length <= buffer.capacity()) {
            require(length);
            String s = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
            return s;
        }
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            require(1);
            int n = Math.min(buffer.remaining(), length - done);
            buffer.get(bytes, done, n);
            done += n;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void skip(long n) throws IOException {
        if (n <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) n);
            return;
        }
        long target = position() + n;
        if (target > fileSize) {
            throw truncated();
        }
        bufferStart = target;
        buffer.clear().limit(0);
    }

    private void require(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        if (position() + n > fileSize) {
            throw truncated();
        }
        long pos = position();
        buffer.compact();
        bufferStart = pos; // the unread bytes now sit at the start of the buffer
        while (buffer.position() < n) {
            int got = channel.read(buffer, bufferStart + buffer.position());
            if (got < 0) {
                buffer.flip();
                throw truncated();
            }
            bytesRead += got;
        }
        buffer.flip();
    }

    private GgufFormatException truncated() {
        return new GgufFormatException(
                "truncated GGUF: the file ends at byte " + fileSize + ", inside " + context);
    }
}
