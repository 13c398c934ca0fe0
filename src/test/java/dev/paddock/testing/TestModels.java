package dev.paddock.testing;

import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Generated models for tests; nothing is ever downloaded. */
public final class TestModels {
    private TestModels() {}

    public static Path tiny(Path dir, String fileName) {
        return write(LlamaModelSpec.tiny(), dir, fileName);
    }

    public static Path write(LlamaModelSpec spec, Path dir, String fileName) {
        Path file = dir.resolve(fileName);
        try {
            SyntheticLlama.write(spec, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
