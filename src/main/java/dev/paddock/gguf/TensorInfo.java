package dev.paddock.gguf;

import java.util.List;

/**
 * One entry of a GGUF tensor table. {@code shape} lists dimensions innermost first, as ggml does
 * ({@code ne[0]} is the row length); {@code offset} is relative to the start of the tensor data.
 */
public record TensorInfo(String name, List<Long> shape, GgmlType type, long offset) {
    public TensorInfo {
        shape = List.copyOf(shape);
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long sizeBytes() {
        return type.bytesFor(elementCount());
    }
}
