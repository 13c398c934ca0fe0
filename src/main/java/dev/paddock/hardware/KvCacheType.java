package dev.paddock.hardware;

/** The element type of the KV cache (llama.cpp's --cache-type-k/-v) and what one element costs. */
public enum KvCacheType {
    F16(2, 1), Q8_0(34, 32), Q4_0(18, 32);

    private final int blockBytes;
    private final int blockElements;

    KvCacheType(int blockBytes, int blockElements) {
        this.blockBytes = blockBytes;
        this.blockElements = blockElements;
    }

    long bytesFor(long elements) {
        return elements * blockBytes / blockElements;
    }

    public static KvCacheType parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw dev.paddock.error.PaddockException.invalidInput("unknown KV cache type \"" + text + "\"; use f16, q8_0 or q4_0");
        }
    }
}
