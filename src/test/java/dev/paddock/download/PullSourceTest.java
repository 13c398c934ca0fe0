package dev.paddock.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.catalog.Catalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PullSourceTest {
    private final Catalog bundled = Catalog.load(java.util.List.of());

    @Test
    void hfReferencesResolveToTheResolveUrlWithTheTokenWhenSet() {
        PullSource s = PullSource.resolve("hf://bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf", bundled,
                Map.of("HF_TOKEN", "hf_abc"));

        assertThat(s.url()).hasToString("https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/"
                + "Llama-3.2-1B-Instruct-Q4_K_M.gguf");
        assertThat(s.headers()).containsEntry("Authorization", "Bearer hf_abc");
        assertThat(s.defaultName()).hasToString("llama-3.2-1b-instruct-q4_k_m:latest");
    }

    @Test
    void hfReferencesMayNameARevisionAndSubfolders() {
        PullSource s = PullSource.resolve("hf://Qwen/Qwen3-8B-GGUF@v1.0/sub/dir/q8.gguf", bundled, Map.of());

        assertThat(s.url()).hasToString("https://huggingface.co/Qwen/Qwen3-8B-GGUF/resolve/v1.0/sub/dir/q8.gguf");
        assertThat(s.headers()).isEmpty();
    }

    @Test
    void badHfReferencesSayTheShape() {
        assertThatThrownBy(() -> PullSource.resolve("hf://owner", bundled, Map.of())).hasMessageContaining("OWNER/REPO[@REVISION][:QUANT]");
        assertThatThrownBy(() -> PullSource.resolve("hf://owner/repo:Q4 K", bundled, Map.of())).hasMessageContaining("invalid quantisation");
        assertThatThrownBy(() -> PullSource.resolve("hf://o/r/../../etc/passwd", bundled, Map.of())).hasMessageContaining("invalid Hugging Face");
    }

    @Test
    void catalogNamesResolveThroughTheBundledCatalog() {
        PullSource s = PullSource.resolve("qwen2.5:0.5b-instruct-q4_k_m", bundled, Map.of());

        assertThat(s.url().getHost()).isEqualTo("huggingface.co");
        assertThat(s.url().getPath()).endsWith("/qwen2.5-0.5b-instruct-q4_k_m.gguf");
        assertThat(s.defaultName()).hasToString("qwen2.5:0.5b-instruct-q4_k_m");
    }

    @Test
    void aCatalogEntryNamingARepositorysQuantisationIsResolvedThroughTheHubWithItsSizeDigestAndProjector(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path files) throws Exception {
        java.nio.file.Path q8 = dev.paddock.testing.TestModels.write(dev.paddock.gguf.LlamaModelSpec.tiny()
                .withWeights(dev.paddock.gguf.GgmlType.Q8_0), files, "q8.gguf");
        java.nio.file.Path f32 = dev.paddock.testing.TestModels.tiny(files, "f32.gguf");
        java.nio.file.Path projector = files.resolve("mmproj.gguf");
        dev.paddock.gguf.SyntheticProjector.write(projector, dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength(), 28, 1);
        Map<String, java.nio.file.Path> repo = new java.util.LinkedHashMap<>();
        repo.put("Tiny-Q8_0.gguf", q8);
        repo.put("Tiny-F32.gguf", f32);
        repo.put("mmproj-Tiny-F16.gguf", projector);
        Catalog catalog = Catalog.of(java.util.List.of(new dev.paddock.catalog.CatalogEntry("tiny:q8", "llama", "0.1M", "Q8_0", null, null,
                "hf://paddock/tiny-GGUF:Q8_0", "test", "apache-2.0", "2026-12-01", "a repository's quantisation, as the 2026 entries name them")));
        try (dev.paddock.testing.FakeHub hub = new dev.paddock.testing.FakeHub().repo("paddock/tiny-GGUF", "llama", 854_000, repo)) {
            PullSource s = PullSource.resolve("tiny:q8", catalog, Map.of("HF_ENDPOINT", hub.endpoint()), files);

            assertThat(s.defaultName()).hasToString("tiny:q8");
            assertThat(s.expectedSize()).isEqualTo(java.nio.file.Files.size(q8));
            assertThat(s.expectedSha256()).isEqualTo(dev.paddock.testing.FakeHub.sha256(q8));
            assertThat(s.projector()).isNotNull();
            assertThat(s.projector().sha256()).isEqualTo(dev.paddock.testing.FakeHub.sha256(projector));
        }
    }

    @Test
    void theBundledCatalogHasTheCurrentModelsAsRepositoryQuantisations() {
        assertThat(bundled.names()).contains("qwen3:4b-q4_k_m", "gemma3:4b-it-q4_k_m", "gpt-oss:20b-mxfp4", "qwen3.5:0.8b-q4_k_m");
        assertThat(bundled.find("gemma3:4b-it-q4_k_m").orElseThrow().url()).isEqualTo("hf://ggml-org/gemma-3-4b-it-GGUF:Q4_K_M");
        assertThat(bundled.find("gpt-oss:20b-mxfp4").orElseThrow().sizeBytes()).as("from the Hub at pull time, never guessed").isNull();
    }

    @Test
    void accessDeniedOnHuggingFaceTalksAboutGatedRepositories() {
        PullSource anonymous = PullSource.resolve("hf://meta-llama/Llama-3.2-1B/model.gguf", bundled, Map.of());
        PullSource withToken = PullSource.resolve("hf://meta-llama/Llama-3.2-1B/model.gguf", bundled, Map.of("HF_TOKEN", "x"));

        assertThatThrownBy(() -> RemoteProbe.failOnStatus(401, anonymous))
                .hasMessageContaining("access denied (401)").hasMessageContaining("gated").hasMessageContaining("set HF_TOKEN");
        assertThatThrownBy(() -> RemoteProbe.failOnStatus(403, withToken))
                .hasMessageContaining("with the account of your HF_TOKEN");
    }

    @Test
    void contentRangeAndEtagsAreRead() {
        assertThat(RemoteProbe.totalFromContentRange("bytes 0-0/1073741824")).contains(1073741824L);
        assertThat(RemoteProbe.totalFromContentRange("bytes 0-0/*")).isEmpty();
        assertThat(RemoteProbe.unquote("W/\"abc\"")).isEqualTo("abc");
        assertThat(RemoteProbe.isSha256("a".repeat(64))).isTrue();
        assertThat(RemoteProbe.isSha256("v1")).isFalse();
    }
}
