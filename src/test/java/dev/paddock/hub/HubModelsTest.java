package dev.paddock.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.testing.FakeHub;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubModelsTest {
    @TempDir Path dir;

    @Test
    void filesAreGroupedByQuantisationWithSplitPartsAsOneAndProjectorsLeftOut() {
        List<QuantChoice> choices = HubModels.group(List.of(
                new HubClient.File("README.md", 10, null),
                new HubClient.File("Qwen3-8B-Q4_K_M.gguf", 5_000, "a".repeat(64)),
                new HubClient.File("Qwen3-8B-IQ3_XXS.gguf", 3_000, "b".repeat(64)),
                new HubClient.File("Q8_0/Qwen3-8B-Q8_0-00002-of-00002.gguf", 4_000, "c".repeat(64)),
                new HubClient.File("Q8_0/Qwen3-8B-Q8_0-00001-of-00002.gguf", 5_000, "d".repeat(64)),
                new HubClient.File("mmproj-Qwen3-8B-F16.gguf", 900, "e".repeat(64)),
                new HubClient.File("qwen3-8b-bf16.gguf", 16_000, "f".repeat(64))));

        assertThat(choices).extracting(QuantChoice::quant).containsExactly("IQ3_XXS", "Q4_K_M", "Q8_0", "BF16");
        QuantChoice q8 = choices.get(2);
        assertThat(q8.split()).isTrue();
        assertThat(q8.size()).isEqualTo(9_000);
        assertThat(q8.parts()).extracting(HubClient.File::path).first().asString().endsWith("00001-of-00002.gguf");
        assertThat(q8.sha256()).isNull();
        assertThat(choices.get(1).sha256()).isEqualTo("a".repeat(64));
    }

    @Test
    void eachChoiceGetsTheProjectorNearestItsFolderAndClosestInBits() {
        List<HubClient.File> files = List.of(
                new HubClient.File("Gemma-Q4_K_M.gguf", 5_000, "a".repeat(64)),
                new HubClient.File("Gemma-BF16.gguf", 16_000, "b".repeat(64)),
                new HubClient.File("vl/Gemma-VL-Q8_0.gguf", 8_000, "c".repeat(64)),
                new HubClient.File("mmproj-Gemma-F16.gguf", 900, "d".repeat(64)),
                new HubClient.File("mmproj-Gemma-Q8_0.gguf", 500, "e".repeat(64)),
                new HubClient.File("vl/mmproj-Gemma-VL-F32.gguf", 1_800, "f".repeat(64)),
                new HubClient.File("other/mmproj-Other-Q4_K_M.gguf", 300, "0".repeat(64)));

        Map<String, String> projectorOf = new LinkedHashMap<>();
        HubModels.group(files).forEach(c -> projectorOf.put(c.quant(), c.projector() == null ? null : c.projector().path()));

        assertThat(projectorOf).containsEntry("Q4_K_M", "mmproj-Gemma-Q8_0.gguf") // 8 bits is closer to 4 than 16; other/ is no parent
                .containsEntry("BF16", "mmproj-Gemma-F16.gguf")
                .containsEntry("Q8_0", "vl/mmproj-Gemma-VL-F32.gguf"); // its own folder first
        assertThat(HubModels.group(List.of(files.getFirst())).getFirst().projector()).isNull();
    }

    @Test
    void quantisationsAreReadFromFileNamesAsPublishersWriteThem() {
        assertThat(HubModels.quantOf("Llama-3.2-1B-Instruct-Q4_K_M")).isEqualTo("Q4_K_M");
        assertThat(HubModels.quantOf("tinyllama-1.1b-chat-v1.0.Q5_K_S")).isEqualTo("Q5_K_S");
        assertThat(HubModels.quantOf("gpt-oss-20b-MXFP4")).isEqualTo("MXFP4");
        assertThat(HubModels.quantOf("gemma-3-4b-it-q4_0")).isEqualTo("Q4_0");
        assertThat(HubModels.quantOf("model-f16")).isEqualTo("F16");
        assertThat(HubModels.quantOf("my-model")).isEqualTo("my-model");
    }

    @Test
    void referencesAreCheckedAsTheHubAllowsNames() {
        assertThat(HubRef.parse("bartowski/Qwen3-8B-GGUF:Q4_K_M")).isEqualTo(new HubRef("bartowski/Qwen3-8B-GGUF", "main", "Q4_K_M", null));
        assertThat(HubRef.parse("o/r@v1.0:q8_0")).isEqualTo(new HubRef("o/r", "v1.0", "q8_0", null));
        assertThat(HubRef.parse("o/r@v1/sub/m.gguf")).isEqualTo(new HubRef("o/r", "v1", null, "sub/m.gguf"));
        for (String bad : List.of("o", "../r", "o/r/../../etc/passwd", "o/-r", "o/r:Q4 K", "o/r@:x", "o r/x")) {
            assertThatThrownBy(() -> HubRef.parse(bad)).as(bad).hasMessageContaining("invalid");
        }
    }

    /** Three quantisations of one generated model: the fit comes from the header read off the (fake) Hub. */
    private Map<String, Path> quants() {
        LlamaModelSpec spec = LlamaModelSpec.small();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("Small-Q8_0.gguf", TestModels.write(spec.withWeights(GgmlType.Q8_0), dir, "q8.gguf"));
        files.put("Small-F16.gguf", TestModels.write(spec.withWeights(GgmlType.F16), dir, "f16.gguf"));
        files.put("Small-F32.gguf", TestModels.write(spec.withWeights(GgmlType.F32), dir, "f32.gguf"));
        return files;
    }

    @Test
    void aRepositoryListsEachQuantisationWithItsDigestAndFitAndMarksTheLargestThatFits() throws Exception {
        Map<String, Path> files = quants();
        try (FakeHub hubServer = new FakeHub().repo("paddock/small-GGUF", "llama", 1_000_000, files);
                HubClient hub = new HubClient(Map.of("HF_ENDPOINT", hubServer.endpoint()))) {
            HubModels models = new HubModels(hub, dir.resolve("scratch"));
            long f32 = Files.size(files.get("Small-F32.gguf"));
            long f16 = Files.size(files.get("Small-F16.gguf"));
            SystemMemory roomy = new SystemMemory(64L << 30, 32L << 30, null);
            var all = models.list(HubRef.parse("paddock/small-GGUF"), 512, KvCacheType.F16, roomy, CpuTopology.detect());
            assertThat(all.choices()).filteredOn(QuantChoice::best).extracting(QuantChoice::quant).containsExactly("F32");
            long needF16 = all.choices().get(1).fit().estimate().expectedBytes();
            long needF32 = all.choices().get(2).fit().estimate().expectedBytes();
            SystemMemory tight = new SystemMemory(64L << 30, (needF16 + needF32) / 2, null); // F16 fits, F32 does not

            var listing = models.list(HubRef.parse("paddock/small-GGUF"), 512, KvCacheType.F16, tight, CpuTopology.detect());

            assertThat(listing.facts().architecture()).isEqualTo("llama");
            assertThat(listing.choices()).extracting(QuantChoice::quant).containsExactly("Q8_0", "F16", "F32"); // across two tree pages
            assertThat(listing.choices()).allSatisfy(c -> assertThat(c.fit()).isNotNull());
            assertThat(listing.choices().get(0).sha256()).isEqualTo(FakeHub.sha256(files.get("Small-Q8_0.gguf")));
            assertThat(listing.choices().get(2).size()).isEqualTo(f32);
            assertThat(listing.choices()).filteredOn(QuantChoice::best).extracting(QuantChoice::quant).containsExactly("F16");
            assertThat(listing.choices().get(2).fit().fits()).isFalse();
            // the estimate for a file not downloaded is the weights of that file plus what the header says
            assertThat(listing.choices().get(1).fit().estimate().weightsBytes()).isBetween(f16 - (1L << 20), f16);
            assertThat(models.pick(HubRef.parse("paddock/small-GGUF"), roomy, CpuTopology.detect()).quant()).isEqualTo("F32");
            assertThat(models.pick(HubRef.parse("paddock/small-GGUF:q8_0"), roomy, CpuTopology.detect()).quant()).isEqualTo("Q8_0");
            assertThatThrownBy(() -> models.pick(HubRef.parse("paddock/small-GGUF:Q2_K"), roomy, CpuTopology.detect()))
                    .hasMessageContaining("has no Q2_K file; it has Q8_0, F16, F32");
            assertThat(hubServer.requests()).anyMatch(r -> r.startsWith("GET /paddock/small-GGUF/resolve/main/Small-Q8_0.gguf"));
            assertThat(dir.resolve("scratch")).isEmptyDirectory(); // the header's bytes are not left behind
        }
    }

    @Test
    void searchGatedRepositoriesAndAMissingOneSayWhatToDo() throws Exception {
        Map<String, Path> files = Map.of("m-Q8_0.gguf", TestModels.tiny(dir, "m.gguf"));
        try (FakeHub hubServer = new FakeHub().repo("paddock/tiny-GGUF", "llama", 850_000, files)
                .gated("meta/locked-GGUF", "hf_good", files);
                HubClient anonymous = new HubClient(Map.of("HF_ENDPOINT", hubServer.endpoint()));
                HubClient wrong = new HubClient(Map.of("HF_ENDPOINT", hubServer.endpoint(), "HF_TOKEN", "hf_wrong"));
                HubClient good = new HubClient(Map.of("HF_ENDPOINT", hubServer.endpoint() + "/", "HF_TOKEN", "hf_good"))) {
            var found = anonymous.search("GGUF", 10);
            assertThat(found).extracting(HubClient.Repo::id).containsExactly("paddock/tiny-GGUF", "meta/locked-GGUF");
            assertThat(found.getFirst().parameters()).isEqualTo(850_000L);
            assertThat(found.getFirst().architecture()).isEqualTo("llama");
            assertThat(found.get(1).gated()).isTrue();
            assertThat(hubServer.requests()).anyMatch(r -> r.contains("filter=gguf") && r.contains("sort=downloads"));

            assertThatThrownBy(() -> anonymous.files("meta/locked-GGUF", "main")).hasMessageContaining("gated or private", "set HF_TOKEN")
                    .hasMessageNotContaining("restricted");
            assertThatThrownBy(() -> wrong.files("meta/locked-GGUF", "main")).hasMessageContaining("accept its terms");
            assertThat(good.files("meta/locked-GGUF", "main")).extracting(HubClient.File::path).contains("m-Q8_0.gguf");
            assertThatThrownBy(() -> anonymous.files("nobody/nothing", "main")).hasMessageContaining("the Hub has no nobody/nothing");
        }
        assertThatThrownBy(() -> new HubClient(Map.of("HF_ENDPOINT", "http://127.0.0.1:9")).search("x", 5))
                .hasMessageContaining("cannot reach the Hub at http://127.0.0.1:9", "HF_ENDPOINT", "check the connection")
                .hasMessageNotContaining("Exception");
    }
}
