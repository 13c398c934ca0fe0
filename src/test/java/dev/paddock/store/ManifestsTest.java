package dev.paddock.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.model.ModelName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests are written with the data-binding mapper and read with the streaming parser: the two must agree. */
class ManifestsTest {
    @TempDir Path home;

    @Test
    void whatIsWrittenIsReadBackAsItWas() throws Exception {
        Manifests m = new Manifests(new StoreLayout(home), w -> {});
        Manifest written = new Manifest(1, "a:b", "sha256:" + "0".repeat(64), 1234, "gguf", "hf://x/y/z.gguf", "2026-12-01T10:00:00Z");
        m.write(ModelName.parse("a:b"), written);
        assertThat(m.read(ModelName.parse("a:b"))).contains(written);
        Manifest sparse = new Manifest(1, "c:d", "sha256:" + "1".repeat(64), 5, null, null, null);
        m.write(ModelName.parse("c:d"), sparse);
        assertThat(m.read(ModelName.parse("c:d"))).contains(sparse);
    }

    @Test
    void aDamagedManifestIsReportedAndSkipped() throws Exception {
        List<String> warnings = new ArrayList<>();
        Manifests m = new Manifests(new StoreLayout(home), warnings::add);
        Path file = new StoreLayout(home).manifest(ModelName.parse("x:y"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"schemaVersion\": 1, \"name\": 7}");

        assertThat(m.read(ModelName.parse("x:y"))).isEmpty();
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains("is unreadable").contains("paddock rm x:y"));
        assertThatThrownBy(() -> Manifests.parse("[]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Manifests.parse("{\"name\": \"a\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("required");
    }
}
