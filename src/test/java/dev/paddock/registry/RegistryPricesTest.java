package dev.paddock.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.PaddockException;
import dev.paddock.testing.FakeHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's prices in LiteLLM's format: the bundled snapshot, the editorial layer, overrides and updates. */
class RegistryPricesTest {
    @TempDir Path home;
    @TempDir Path files;

    private final Clock dec1 = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    /** LiteLLM's shape: USD per token; a Vertex entry Paddock cannot call; a model with no output price; the format's own sample. */
    private static final String NEWER = """
            {"sample_spec": {"max_tokens": "LEGACY parameter", "input_cost_per_token": 0.0, "litellm_provider": "one of https://docs.litellm.ai/docs/providers"},
             "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06,
                        "cache_read_input_token_cost": 1e-06, "max_input_tokens": 128000, "max_output_tokens": 16384,
                        "supports_vision": true, "supports_function_calling": true, "supports_response_schema": true},
             "gpt-9": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 4e-06, "output_cost_per_token": 3.2e-05,
                       "max_input_tokens": 1047576, "max_output_tokens": 131072, "supports_reasoning": true},
             "claude-mystery": {"litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 1e-06, "max_input_tokens": 200000},
             "gemini/gemini-9-pro": {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06},
             "text-embedding-9": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08, "max_input_tokens": 8191},
             "gemini-9-pro": {"litellm_provider": "vertex_ai-language-models", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06}}
            """;

    @Test
    void theBundledSnapshotIsReadInLiteLlmsFormatWithDatedPricesPerMillionAndCurrentModels() {
        Registry r = Registry.load(List.of());

        RegistryEntry opus = r.find("anthropic/claude-opus-4-5").orElseThrow();
        assertThat(opus.price().inputPerMillion()).isEqualTo(5.0);
        assertThat(opus.price().outputPerMillion()).isEqualTo(25.0);
        assertThat(opus.price().cachedInputPerMillion()).isEqualTo(0.5);
        assertThat(opus.price().asOf()).isEqualTo(PriceFile.BUNDLED_AS_OF);
        assertThat(opus.contextWindow()).isEqualTo(200_000L);
        assertThat(opus.maxOutput()).isEqualTo(64_000L);
        assertThat(opus.capabilities()).contains("vision", "tools", "json", "reasoning");
        assertThat(opus.tier()).isEqualTo("frontier");
        assertThat(opus.tierBasis()).isEqualTo("editorial"); // by the editorial layer's id patterns
        RegistryEntry unranked = r.find("gemini/gemini-omni-flash-preview").orElseThrow();
        assertThat(unranked.tierBasis()).isEqualTo("list price");
        assertThat(r.find("openai/gpt-5-mini").orElseThrow().tier()).isEqualTo("light");
        // a model the price file calls chat but that answers no ordinary prompt is kept apart
        assertThat(r.find("gemini/gemini-2.5-flash-native-audio-latest").orElseThrow().mode()).isEqualTo("special");
        assertThat(r.find("gemini/gemini-2.5-flash-native-audio-latest").orElseThrow().chat()).isFalse();
        assertThat(r.all()).extracting(RegistryEntry::id).contains("openai/gpt-5", "gemini/gemini-3-pro-preview")
                .noneMatch(id -> id.startsWith("vertex") || id.startsWith("bedrock"));
        assertThat(r.find("gemini/gemini-3.5-flash").orElseThrow().note()).contains("Vertex AI"); // filed there only
        // the editorial layer keeps its tier on a model the price file also has, with the price file's price
        RegistryEntry gpt4o = r.find("openai/gpt-4o").orElseThrow();
        assertThat(gpt4o.tier()).isEqualTo("strong");
        assertThat(gpt4o.tierBasis()).isEqualTo("editorial");
        assertThat(gpt4o.price().asOf()).isEqualTo(PriceFile.BUNDLED_AS_OF);
        // and its open-weight and other providers' entries stay
        assertThat(r.find("llama3.1:8b")).isPresent();
        assertThat(r.find("groq/llama-3.1-8b-instant")).isPresent();
    }

    @Test
    void aModelWithoutACompletePriceIsUnknownNeverFreeAndOnlyKnownProvidersAreKept() throws Exception {
        Path mine = Files.writeString(files.resolve("litellm.json"), NEWER);
        Registry r = Registry.load(List.of(mine));

        assertThat(r.find("anthropic/claude-mystery").orElseThrow().price()).isNull();
        assertThat(r.find("anthropic/claude-mystery").orElseThrow().tier()).isNull();
        assertThat(r.find("gemini/gemini-9-pro").orElseThrow().price().outputPerMillion()).isEqualTo(4.0);
        RegistryEntry embedding = r.find("openai/text-embedding-9").orElseThrow();
        assertThat(embedding.mode()).isEqualTo("embedding");
        assertThat(embedding.chat()).isFalse();
        assertThat(embedding.price().inputPerMillion()).isEqualTo(0.02);
        assertThat(embedding.capabilities()).contains("embeddings");
        assertThat(r.all()).extracting(RegistryEntry::id).doesNotContain("sample_spec", "openai/sample_spec")
                .noneMatch(id -> id.startsWith("vertex"));
        // a Gemini API entry wins over Vertex AI's of the same model
        assertThat(r.find("gemini/gemini-9-pro").orElseThrow().note()).isNull();
        // a user's file in LiteLLM's format wins over the bundled prices
        assertThat(r.find("openai/gpt-4o").orElseThrow().price().inputPerMillion()).isEqualTo(2.0);
    }

    @Test
    void anUpdateFromAUrlSaysWhatIsNewRepricedAndUnpricedAndTheNextRegistryUsesIt() throws Exception {
        try (FakeHttpServer hub = new FakeHttpServer().on("GET /prices.json", FakeHttpServer.Answer.json(200, NEWER))) {
            RegistryUpdate.Result r = new RegistryUpdate(home, dec1).run(hub.url() + "/prices.json", Registry.load(List.of()));

            assertThat(r.asOf()).isEqualTo("2026-12-01");
            assertThat(r.models()).isEqualTo(5);
            assertThat(r.previousAsOf()).isEqualTo(PriceFile.BUNDLED_AS_OF);
            assertThat(r.added()).containsExactly("anthropic/claude-mystery", "gemini/gemini-9-pro", "openai/gpt-9", "openai/text-embedding-9");
            assertThat(r.repriced()).extracting(RegistryUpdate.Repriced::id).containsExactly("openai/gpt-4o");
            assertThat(r.repriced().getFirst().before().inputPerMillion()).isEqualTo(2.5);
            assertThat(r.repriced().getFirst().after().inputPerMillion()).isEqualTo(2.0);
            assertThat(r.removed()).contains("anthropic/claude-opus-4-5");
            assertThat(r.unpriced()).isEqualTo(1);
        }
        PriceFile now = PriceFile.current(home, w -> {});
        assertThat(now.bundled()).isFalse();
        assertThat(now.asOf()).isEqualTo("2026-12-01");
        Registry next = Registry.load(now, List.of());
        assertThat(next.find("openai/gpt-9").orElseThrow().price().asOf()).isEqualTo("2026-12-01");
        assertThat(next.find("openai/gpt-9").orElseThrow().contextWindow()).isEqualTo(1_047_576L);
        // a model only the editorial layer knows stays, with its own dated price
        assertThat(next.find("groq/llama-3.1-8b-instant").orElseThrow().price()).isNotNull();
    }

    @Test
    void aBadSourceLeavesThePricesInUseAndSaysWhyWithoutRepeatingItsContent() throws Exception {
        try (FakeHttpServer hub = new FakeHttpServer()
                .on("GET /page", new FakeHttpServer.Answer(200, "text/html", List.of("<html>secret-token-123</html>")))
                .on("GET /paddock", FakeHttpServer.Answer.json(200, "{\"models\": []}"))
                .on("GET /none", FakeHttpServer.Answer.json(200, "{\"x\": {\"litellm_provider\": \"vertex_ai\", \"mode\": \"chat\"}}"))
                .on("GET /gone", FakeHttpServer.Answer.json(404, "{\"error\": \"secret-token-123\"}"))) {
            Registry current = Registry.load(List.of());
            List<String> messages = new ArrayList<>();
            for (String path : List.of("/page", "/paddock", "/none", "/gone")) {
                assertThatThrownBy(() -> new RegistryUpdate(home, dec1).run(hub.url() + path, current))
                        .isInstanceOf(PaddockException.class)
                        .satisfies(e -> messages.add(e.getMessage()));
            }
            assertThat(messages.get(0)).contains("is not JSON");
            assertThat(messages.get(1)).contains("not in LiteLLM's price format");
            assertThat(messages.get(2)).contains("no model of a provider Paddock knows");
            assertThat(messages.get(3)).contains("answered 404");
            assertThat(messages).noneMatch(m -> m.contains("secret-token-123"));
        }
        assertThatThrownBy(() -> new RegistryUpdate(home, dec1).run("http://127.0.0.1:9/prices.json", Registry.load(List.of())))
                .hasMessageContaining("cannot reach 127.0.0.1");
        assertThatThrownBy(() -> new RegistryUpdate(home, dec1).run(files.resolve("missing.json").toString(), Registry.load(List.of())))
                .hasMessageContaining("no file");
        assertThat(home.resolve("registry")).doesNotExist();
        assertThat(PriceFile.current(home, w -> {}).bundled()).isTrue();
    }

    @Test
    void aBrokenPriceFileInTheHomeIsReportedAndTheSnapshotUsed() throws Exception {
        PriceFile.install(home, "{\"not\": \"prices\"}".getBytes(), "https://example.invalid/p.json", "2026-11-30");
        List<String> warnings = new ArrayList<>();

        PriceFile p = PriceFile.current(home, warnings::add);

        assertThat(p.bundled()).isTrue();
        assertThat(warnings).singleElement().asString().contains("not in LiteLLM's format", "registry update");
    }

    @Test
    void theTierPriorFollowsTheBlendedListPrice() {
        assertThat(Registry.tierFromPrice(new Price(5, 25, null, null, null, null))).isEqualTo("frontier");
        assertThat(Registry.tierFromPrice(new Price(1, 5, null, null, null, null))).isEqualTo("strong");
        assertThat(Registry.tierFromPrice(new Price(0.25, 2, null, null, null, null))).isEqualTo("light");
        assertThat(Registry.tierFromPrice(new Price(0.05, 0.4, null, null, null, null))).isEqualTo("tiny");
    }
}
