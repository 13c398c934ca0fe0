package dev.paddock.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Split GGUFs ({@code -00001-of-00003.gguf}, as llama.cpp's {@code gguf-split} writes them: each part a GGUF with
 * its share of the tensors, the first with the model's metadata, all with {@code split.no}, {@code split.count} and
 * {@code split.tensors.count}). {@link #merge} joins them into one file as {@code gguf-split --merge} does, so a
 * split model is stored and run like any other; {@link #split} writes parts (tests make split models with it).
 */
public final class GgufSplit {
    public static final String NO = "split.no";
    public static final String COUNT = "split.count";
    public static final String TENSORS = "split.tensors.count";

    private GgufSplit() {}

    /** Joins the parts, given in order, into {@code out}: the first part's metadata without the split keys, every tensor. */
    public static void merge(List<Path> parts, Path out) throws IOException {
        GgufReader reader = new GgufReader(Integer.MAX_VALUE); // every array whole: the vocabulary is written again
        List<GgufFile> files = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            GgufFile f = reader.read(parts.get(i));
            long count = f.integer(COUNT).orElse(1L);
            long no = f.integer(NO).orElse(0L);
            if (count != parts.size() || no != i) {
                throw new GgufFormatException("not part " + (i + 1) + " of " + parts.size() + " of a split GGUF: " + parts.get(i)
                        + " says it is part " + (no + 1) + " of " + count);
            }
            files.add(f);
        }
        Map<String, GgufValue> metadata = new LinkedHashMap<>(files.getFirst().metadata());
        metadata.keySet().removeAll(List.of(NO, COUNT, TENSORS));
        List<FileChannel> channels = new ArrayList<>();
        try {
            List<GgufWriter.Tensor> tensors = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                FileChannel ch = FileChannel.open(parts.get(i), StandardOpenOption.READ);
                channels.add(ch);
                for (TensorInfo t : files.get(i).tensors()) {
                    tensors.add(copy(t, ch, files.get(i).dataOffset() + t.offset()));
                }
            }
            new GgufWriter(files.getFirst().version(), files.getFirst().alignment()).write(out, metadata, tensors);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (FileChannel ch : channels) {
                ch.close();
            }
        }
    }

    /**
     * Writes {@code file} as {@code parts} split files {@code stem-0000i-of-0000n.gguf} in {@code dir}, the tensors
     * shared out in order; returns their paths.
     */
    public static List<Path> split(Path file, int parts, Path dir, String stem) throws IOException {
        GgufFile f = new GgufReader(Integer.MAX_VALUE).read(file);
        List<TensorInfo> all = f.tensors();
        List<Path> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int per = (all.size() + parts - 1) / parts;
            for (int p = 0; p < parts; p++) {
                List<GgufWriter.Tensor> mine = new ArrayList<>();
                for (TensorInfo t : all.subList(Math.min(all.size(), p * per), Math.min(all.size(), (p + 1) * per))) {
                    mine.add(copy(t, ch, f.dataOffset() + t.offset()));
                }
                Map<String, GgufValue> meta = new LinkedHashMap<>(p == 0 ? f.metadata() : Map.of());
                meta.put(NO, new GgufValue.Int(GgufValueType.UINT16, p));
                meta.put(COUNT, new GgufValue.Int(GgufValueType.UINT16, parts));
                meta.put(TENSORS, new GgufValue.Int(GgufValueType.INT32, all.size()));
                Path part = dir.resolve(String.format(java.util.Locale.ROOT, "%s-%05d-of-%05d.gguf", stem, p + 1, parts));
                new GgufWriter(f.version(), f.alignment()).write(part, meta, mine);
                out.add(part);
            }
        }
        return out;
    }

    /** A tensor whose bytes are read from {@code ch} at {@code at}, as the writer asks for them. */
    private static GgufWriter.Tensor copy(TensorInfo t, FileChannel ch, long at) {
        return new GgufWriter.Tensor(t.name(), t.shape(), t.type(), (buf, first, count) -> {
            int n = (int) t.type().bytesFor(count);
            ByteBuffer dst = buf.slice(buf.position(), n);
            long pos = at + t.type().bytesFor(first);
            try {
                while (dst.hasRemaining()) {
                    if (ch.read(dst, pos + dst.position()) < 0) {
                        throw new IOException("the file ends inside tensor " + t.name());
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            buf.position(buf.position() + n);
        });
    }
}
