package dev.paddock.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes GGUF files: metadata, a tensor table, and tensor data produced on the fly (so a 600 MB model
 * never sits in memory). Tests and the demo make their models with it; {@link SyntheticLlama} builds
 * the llama-architecture models on top.
 */
public final class GgufWriter {
    private static final int CHUNK_BYTES = 1 << 20;

    /** Fills one tensor's data: called with buffers to fill, each room for whole blocks. */
    @FunctionalInterface
    public interface TensorFill {
        /** Writes the elements {@code [first, first + count)} of the tensor into {@code out}. */
        void fill(ByteBuffer out, long first, long count);
    }

    public record Tensor(String name, List<Long> shape, GgmlType type, TensorFill fill) {
        public Tensor {
            shape = List.copyOf(shape);
            Objects.requireNonNull(fill);
        }

        TensorInfo info(long offset) {
            return new TensorInfo(name, shape, type, offset);
        }
    }

    private final int version;
    private final int alignment;

    public GgufWriter() {
        this(3, GgufReader.DEFAULT_ALIGNMENT);
    }

    public GgufWriter(int version, int alignment) {
        this.version = version;
        this.alignment = alignment;
    }

    public void write(Path path, Map<String, GgufValue> metadata, List<Tensor> tensors) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Sink out = new Sink(ch);
            out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
            out.u32(version);
            out.u64(tensors.size());
            out.u64(metadata.size());
            for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
                out.string(e.getKey());
                out.u32(e.getValue().type().id());
                value(out, e.getValue());
            }
            long offset = 0;
            for (Tensor t : tensors) {
                TensorInfo info = t.info(offset);
                out.string(t.name());
                out.u32(t.shape().size());
                for (long d : t.shape()) {
                    out.u64(d);
                }
                out.u32(t.type().id());
                out.u64(offset);
                offset = GgufReader.alignUp(offset + info.sizeBytes(), alignment);
            }
            out.padTo(alignment);
            for (Tensor t : tensors) {
                data(out, t);
                out.padTo(alignment);
            }
            out.flush();
        }
    }

    private static void data(Sink out, Tensor t) throws IOException {
        long elements = t.info(0).elementCount();
        int block = t.type().blockSize();
        long blocksPerChunk = Math.max(1, CHUNK_BYTES / t.type().typeSize() / 2);
        for (long first = 0; first < elements; first += blocksPerChunk * block) {
            long count = Math.min(blocksPerChunk * block, elements - first);
            ByteBuffer buf = out.room((int) t.type().bytesFor(count));
            t.fill().fill(buf, first, count);
        }
    }

    private static void value(Sink out, GgufValue v) throws IOException {
        switch (v) {
            case GgufValue.Int i -> {
                switch (i.type()) {
                    case UINT8, INT8 -> out.u8((int) i.value());
                    case UINT16, INT16 -> out.u16((int) i.value());
                    case UINT32, INT32 -> out.u32(i.value());
                    default -> out.u64(i.value());
                }
            }
            case GgufValue.Float f -> {
                if (f.type() == GgufValueType.FLOAT32) {
                    out.room(4).putFloat((float) f.value());
                } else {
                    out.room(8).putDouble(f.value());
                }
            }
            case GgufValue.Bool b -> out.u8(b.value() ? 1 : 0);
            case GgufValue.Str s -> out.string(s.value());
            case GgufValue.Array a -> {
                if (!a.complete()) {
                    throw new IllegalArgumentException("cannot write an array read only in part");
                }
                out.u32(a.elementType().id());
                out.u64(a.count());
                for (GgufValue e : a.elements()) {
                    value(out, e);
                }
            }
        }
    }

    /** A buffered little-endian sink that knows its file position. */
    private static final class Sink {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_BYTES * 2).order(ByteOrder.LITTLE_ENDIAN);
        private long flushed;

        Sink(FileChannel ch) {
            this.ch = ch;
        }

        ByteBuffer room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
            if (buf.remaining() < n) {
                throw new IllegalStateException("value larger than the write buffer: " + n);
            }
            return buf;
        }

        void u8(int v) throws IOException {
            room(1).put((byte) v);
        }

        void u16(int v) throws IOException {
            room(2).putShort((short) v);
        }

        void u32(long v) throws IOException {
            room(4).putInt((int) v);
        }

        void u64(long v) throws IOException {
            room(8).putLong(v);
        }

        void bytes(byte[] b) throws IOException {
            room(b.length).put(b);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void padTo(int alignment) throws IOException {
            long pos = flushed + buf.position();
            long pad = GgufReader.alignUp(pos, alignment) - pos;
            for (long i = 0; i < pad; i++) {
                u8(0);
            }
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                flushed += ch.write(buf);
            }
            buf.clear();
        }
    }
}
