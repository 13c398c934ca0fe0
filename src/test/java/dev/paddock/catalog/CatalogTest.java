package dev.paddock.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir Path dir;

    @Test
    void theBundledCatalogLoadsAndEveryEntryIsWellFormed() {
        Catalog c = Catalog.load(List.of());

        assertThat(c.names()).hasSizeGreaterThan(10).contains("qwen2.5:0.5b-instruct-q4_k_m", "llama3.2:1b-instruct-q4_k_m");
        assertThat(c.search("")).allSatisfy(e -> {
            assertThat(e.url()).startsWith("hf://");
            assertThat(e.checked()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(e.family()).isNotBlank();
        });
        assertThat(c.search("gemma")).extracting(CatalogEntry::name).allMatch(n -> n.startsWith("gemma"));
    }

    @Test
    void aUserCatalogAddsAndReplacesEntries() throws IOException {
        Path mine = Files.writeString(dir.resolve("mine.json"), """
                {"models": [
                  {"name": "team:model", "url": "https://models.example.com/team.gguf", "family": "llama",
                   "sha256": "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB", "size_bytes": 1234},
                  {"name": "tinyllama:1.1b-chat-q4_k_m", "url": "https://mirror.example.com/tiny.gguf"}
                ]}""");

        Catalog c = Catalog.load(List.of(mine));

        assertThat(c.find("Team:Model")).hasValueSatisfying(e -> {
            assertThat(e.sha256()).isEqualTo("ab".repeat(32));
            assertThat(e.sizeBytes()).isEqualTo(1234);
        });
        assertThat(c.find("tinyllama:1.1b-chat-q4_k_m").orElseThrow().url()).isEqualTo("https://mirror.example.com/tiny.gguf");
    }

    @Test
    void brokenCatalogsNameTheFileAndTheEntry() throws IOException {
        Path noName = Files.writeString(dir.resolve("a.json"), "{\"models\": [{\"url\": \"https://x/y.gguf\"}]}");
        Path badName = Files.writeString(dir.resolve("b.json"), "{\"models\": [{\"name\": \"../x\", \"url\": \"https://x/y.gguf\"}]}");
        Path badSha = Files.writeString(dir.resolve("c.json"), "{\"models\": [{\"name\": \"x\", \"url\": \"https://x/y\", \"sha256\": \"12\"}]}");
        Path badUrl = Files.writeString(dir.resolve("d.json"), "{\"models\": [{\"name\": \"x\", \"url\": \"file:///etc/passwd\"}]}");
        Path notJson = Files.writeString(dir.resolve("e.json"), "{models: ");
        Path noModels = Files.writeString(dir.resolve("f.json"), "{}");

        assertThatThrownBy(() -> Catalog.load(List.of(noName))).hasMessage("catalog " + noName + ", model 0: \"name\" is missing");
        assertThatThrownBy(() -> Catalog.load(List.of(badName))).hasMessageContaining("model 0 (../x)").hasMessageContaining("not a valid model name");
        assertThatThrownBy(() -> Catalog.load(List.of(badSha))).hasMessageContaining("sha256 must be 64 hex digits");
        assertThatThrownBy(() -> Catalog.load(List.of(badUrl))).hasMessageContaining("url must start with https://");
        assertThatThrownBy(() -> Catalog.load(List.of(notJson))).hasMessageStartingWith("cannot read the catalog " + notJson);
        assertThatThrownBy(() -> Catalog.load(List.of(noModels))).hasMessageContaining("has no \"models\" array");
    }
}
