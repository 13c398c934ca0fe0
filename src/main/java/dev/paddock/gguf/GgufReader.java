package dev.paddock.gguf;

import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GGUF file's header: metadata and tensor table, never the tensor data. Every count and length
 * is checked against the bytes left in the file (and against caps) before anything is allocated, so a
 * hostile file costs an error, not memory. Arrays longer than {@code keptArrayElements} (a vocabulary,
 * say) are skipped past and kept as their first elements plus their count.
 */
public final class GgufReader {
    /** Enough to show and to test; a 128k-token vocabulary would otherwise cost ~10 MB per read. */
    public static final int DEFAULT_KEPT_ARRAY_ELEMENTS = 64;
    static final int MAX_KEY_BYTES = 64 * 1024;
    static final int MAX_STRING_BYTES = 64 * 1024 * 1024;
    static final int MAX_ARRAY_DEPTH = 8;
    static final long MAX_TENSORS = 1_000_000;
    static final int MAX_DIMS = 4;
    static final int DEFAULT_ALIGNMENT = 32;

    private final int keptArrayElements;

    public GgufReader() {
        this(DEFAULT_KEPT_ARRAY_ELEMENTS);
    }

    public GgufReader(int keptArrayElements) {
        this.keptArrayElements = keptArrayElements;
    }

    public GgufFile read(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return new Parse(new GgufInput(channel, channel.size()), path).file();
        } catch (NoSuchFileException e) {
            throw PaddockException.notFound("no such file: " + path);
        } catch (AccessDeniedException e) {
            throw PaddockException.invalidInput("cannot read " + path + ": permission denied");
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                throw PaddockException.invalidInput("not a GGUF file: " + path + " is a directory");
            }
            throw PaddockException.storage("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The header of a file of which only the first bytes are here ({@code prefix}, say a ranged download of a
     * remote file), read as if the file were {@code fileSize} bytes long: metadata and tensor table, for facts
     * and fit estimates before a download. Fails like {@link #read} when the header does not fit in the prefix;
     * a caller fetches more and asks again.
     */
    public GgufFile readHead(Path prefix, long fileSize) {
        try (FileChannel channel = FileChannel.open(prefix, StandardOpenOption.READ)) {
            return new Parse(new GgufInput(channel, fileSize), prefix).file();
        } catch (IOException e) {
            throw PaddockException.storage("cannot read " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** One parse of one file. */
    private final class Parse {
        private final GgufInput in;
        private final Path path;

        Parse(GgufInput in, Path path) {
            this.in = in;
            this.path = path;
        }

        GgufFile file() throws IOException {
            int version = header();
            in.context("the header");
            long tensorCount = in.u64();
            long kvCount = in.u64();
            if (tensorCount < 0 || tensorCount > MAX_TENSORS || tensorCount * 24 > in.remaining()) {
                throw corrupt("tensor count " + Long.toUnsignedString(tensorCount) + " exceeds file size");
            }
            if (kvCount < 0 || kvCount > in.remaining() / 13) {
                throw corrupt("metadata count " + Long.toUnsignedString(kvCount) + " exceeds file size");
            }
            Map<String, GgufValue> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                in.context("metadata entry " + i);
                String key = string(MAX_KEY_BYTES, "metadata key");
                in.context("metadata \"" + key + "\"");
                GgufValueType type = valueType(in.u32(), key);
                metadata.put(key, value(type, key, 0));
            }
            int alignment = alignment(metadata);
            List<TensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 4096));
            for (long i = 0; i < tensorCount; i++) {
                in.context("tensor entry " + i);
                tensors.add(tensor(alignment));
            }
            long dataOffset = alignUp(in.position(), alignment);
            GgufFile file = new GgufFile(version, in.fileSize(), metadata, tensors, alignment, dataOffset, in.bytesRead());
            checkDataPresent(file);
            return file;
        }

        private int header() throws IOException {
            if (in.fileSize() < 4) {
                throw new GgufFormatException("not a GGUF file: " + path + " (" + (in.fileSize() == 0
                        ? "the file is empty" : "the file is only " + in.fileSize() + " bytes") + ")");
            }
            byte[] magic = {(byte) in.u8(), (byte) in.u8(), (byte) in.u8(), (byte) in.u8()};
            if (magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
                throw new GgufFormatException("not a GGUF file: " + path + " (" + kindOf(magic) + ")");
            }
            in.context("the header");
            long version = in.u32();
            if (version == 2 || version == 3) {
                return (int) version;
            }
            long swapped = Integer.reverseBytes((int) version) & 0xffffffffL;
            if (swapped == 2 || swapped == 3) {
                throw new GgufFormatException("unsupported GGUF: " + path + " is big-endian; Paddock reads little-endian files");
            }
            throw new GgufFormatException("unsupported GGUF version " + version + " (Paddock reads versions 2 and 3; "
                    + "convert the file with a current llama.cpp)");
        }

        private String string(long max, String what) throws IOException {
            long length = in.u64();
            if (length < 0 || length > in.remaining()) {
                throw corrupt(what + " length " + Long.toUnsignedString(length) + " exceeds file size");
            }
            if (length > max) {
                throw corrupt(what + " length " + length + " exceeds the limit of " + max + " bytes");
            }
            return in.utf8((int) length);
        }

        private GgufValueType valueType(long id, String key) {
            GgufValueType type = GgufValueType.byId(id);
            if (type == null) {
                throw corrupt("metadata \"" + key + "\" has unknown value type " + id);
            }
            return type;
        }

        private GgufValue value(GgufValueType type, String key, int depth) throws IOException {
            return switch (type) {
                case UINT8 -> new GgufValue.Int(type, in.u8());
                case INT8 -> new GgufValue.Int(type, (byte) in.u8());
                case UINT16 -> new GgufValue.Int(type, in.u16());
                case INT16 -> new GgufValue.Int(type, in.i16());
                case UINT32 -> new GgufValue.Int(type, in.u32());
                case INT32 -> new GgufValue.Int(type, in.i32());
                case UINT64, INT64 -> new GgufValue.Int(type, in.u64());
                case FLOAT32 -> new GgufValue.Float(type, in.f32());
                case FLOAT64 -> new GgufValue.Float(type, in.f64());
                case BOOL -> new GgufValue.Bool(in.u8() != 0);
                case STRING -> new GgufValue.Str(string(MAX_STRING_BYTES, "metadata string"));
                case ARRAY -> array(key, depth + 1);
            };
        }

        private GgufValue.Array array(String key, int depth) throws IOException {
            if (depth > MAX_ARRAY_DEPTH) {
                throw corrupt("metadata \"" + key + "\" nests arrays deeper than " + MAX_ARRAY_DEPTH + " levels");
            }
            GgufValueType elementType = valueType(in.u32(), key);
            long count = in.u64();
            if (count < 0 || count > in.remaining() / elementType.minimumSize()) {
                throw corrupt("metadata array length " + Long.toUnsignedString(count) + " exceeds file size");
            }
            int kept = (int) Math.min(count, keptArrayElements);
            List<GgufValue> elements = new ArrayList<>(kept);
            for (long i = 0; i < kept; i++) {
                elements.add(value(elementType, key, depth));
            }
            skipElements(elementType, count - kept, key, depth);
            return new GgufValue.Array(elementType, count, elements);
        }

        private void skipElements(GgufValueType type, long n, String key, int depth) throws IOException {
            if (n == 0) {
                return;
            }
            if (type.fixedSize() > 0) {
                in.skip(n * type.fixedSize()); // n was bounded by the remaining bytes, so no overflow
                return;
            }
            for (long i = 0; i < n; i++) {
                if (type == GgufValueType.STRING) {
                    long length = in.u64();
                    if (length < 0 || length > in.remaining()) {
                        throw corrupt("metadata string length " + Long.toUnsignedString(length) + " exceeds file size");
                    }
                    in.skip(length);
                } else {
                    GgufValueType inner = valueType(in.u32(), key);
                    long count = in.u64();
                    if (depth + 1 > MAX_ARRAY_DEPTH) {
                        throw corrupt("metadata \"" + key + "\" nests arrays deeper than " + MAX_ARRAY_DEPTH + " levels");
                    }
                    if (count < 0 || count > in.remaining() / inner.minimumSize()) {
                        throw corrupt("metadata array length " + Long.toUnsignedString(count) + " exceeds file size");
                    }
                    skipElements(inner, count, key, depth + 1);
                }
            }
        }

        private int alignment(Map<String, GgufValue> metadata) {
            GgufValue v = metadata.get("general.alignment");
            if (v == null) {
                return DEFAULT_ALIGNMENT;
            }
            if (!(v instanceof GgufValue.Int i) || i.value() <= 0 || i.value() > (1 << 20) || Long.bitCount(i.value()) != 1) {
                throw corrupt("general.alignment must be a power of two up to 1 MiB, not " + v.plain());
            }
            return (int) i.value();
        }

        private TensorInfo tensor(int alignment) throws IOException {
            String name = string(MAX_KEY_BYTES, "tensor name");
            in.context("tensor \"" + name + "\"");
            long dims = in.u32();
            if (dims < 1 || dims > MAX_DIMS) {
                throw corrupt("tensor \"" + name + "\" has " + dims + " dimensions (at most " + MAX_DIMS + ")");
            }
            List<Long> shape = new ArrayList<>((int) dims);
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                long n = in.u64();
                if (n < 0) {
                    throw corrupt("tensor \"" + name + "\" has dimension " + Long.toUnsignedString(n));
                }
                try {
                    elements = Math.multiplyExact(elements, n);
                } catch (ArithmeticException e) {
                    throw corrupt("tensor \"" + name + "\" has a shape whose element count overflows");
                }
                shape.add(n);
            }
            long typeId = in.u32();
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) {
                throw corrupt("tensor \"" + name + "\" has unknown type " + typeId
                        + " (a newer ggml type, or a damaged file)");
            }
            if (shape.getFirst() % type.blockSize() != 0) {
                throw corrupt("tensor \"" + name + "\" has rows of " + shape.getFirst() + " elements, not a multiple of the "
                        + type + " block size " + type.blockSize());
            }
            long offset = in.u64();
            if (offset < 0 || offset % alignment != 0) {
                throw corrupt("tensor \"" + name + "\" has offset " + Long.toUnsignedString(offset)
                        + ", not a multiple of the alignment " + alignment);
            }
            TensorInfo info = new TensorInfo(name, shape, type, offset);
            try {
                Math.addExact(offset, info.sizeBytes());
            } catch (ArithmeticException e) {
                throw corrupt("tensor \"" + name + "\" ends beyond any possible file size");
            }
            return info;
        }

        private void checkDataPresent(GgufFile file) {
            long need = file.tensorDataBytes();
            long have = Math.max(0, file.fileSize() - file.dataOffset());
            if (need > have) {
                throw new GgufFormatException("truncated GGUF: expected " + need + " bytes of tensor data at offset "
                        + file.dataOffset() + ", file has " + have);
            }
            long padded = alignUp(need, file.alignment());
            if (have > padded) {
                // a model with a payload after its last tensor: nothing reads those bytes, so nothing should store them
                throw new GgufFormatException("corrupt GGUF: " + (have - padded) + " bytes follow the last tensor (the tensors end at byte "
                        + (file.dataOffset() + padded) + " of " + file.fileSize() + "); the file was damaged or has something appended");
            }
        }

        private GgufFormatException corrupt(String what) {
            return new GgufFormatException("corrupt GGUF: " + what);
        }
    }

    static long alignUp(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    /**
     * What a file that is not GGUF seems to be, from its first four bytes, without repeating them: an error
     * message must not carry a file's content (a pull can point at a local service's secrets).
     */
    public static String kindOf(byte[] magic) {
        if (magic.length >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            return "it is a ZIP archive, such as a PyTorch checkpoint; Paddock needs a .gguf file";
        }
        if (magic.length >= 1 && (magic[0] == '<' || magic[0] == '{' || magic[0] == '[')) {
            return "it is text such as HTML or JSON, perhaps an error page, not a model";
        }
        boolean printable = magic.length > 0;
        for (byte b : magic) {
            int c = b & 0xff;
            printable &= c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f);
        }
        return printable ? "it is text, not a model" : "it does not begin with the GGUF signature";
    }
}
