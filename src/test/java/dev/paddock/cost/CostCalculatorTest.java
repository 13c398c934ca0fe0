package dev.paddock.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.paddock.registry.Registry;
import dev.paddock.registry.RegistryEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCalculatorTest {
    @TempDir Path dir;

    private final Registry bundled = Registry.load(List.of());

    @Test
    void cloudCostIsTokensTimesTheListPrice() {
        var usage = new CostCalculator.Usage(5_000_000, 1_000_000, 2_000_000, 10_000L);

        CostEstimate gpt4o = new CostCalculator(bundled).estimate(List.of("openai/gpt-4o"), usage, null).getFirst();

        // 5M × $2.50 + 1M × $10 + 2M cached × $1.25, per 1M tokens
        assertThat(gpt4o.perPeriod()).isCloseTo(12.5 + 10 + 2.5, within(1e-9));
        assertThat(gpt4o.perRequest()).isCloseTo(25.0 / 10_000, within(1e-12));
        assertThat(gpt4o.basis()).contains("2026-07-24", "litellm");
    }

    @Test
    void anUnknownPriceIsUnknownNeverFree() {
        var usage = new CostCalculator.Usage(1_000_000, 1_000_000, 0, null);

        List<CostEstimate> rows = new CostCalculator(bundled).estimate(
                List.of("openrouter/meta-llama/llama-3.1-8b-instruct", "someone/new-model", "qwen2.5:7b"), usage, null);

        assertThat(rows).allSatisfy(r -> assertThat(r.perPeriod()).isNull());
        assertThat(rows).extracting(CostEstimate::basis).allSatisfy(b -> assertThat(b).containsAnyOf("unknown", "not measured"));
    }

    @Test
    void localHardwareIsAmortisedAndBreaksEvenAtTheStatedVolume() {
        var usage = new CostCalculator.Usage(5_000_000, 1_000_000, 0, null);
        var hw = new CostCalculator.Hardware(3600, 36);
        RegistryEntry sonnet = bundled.find("anthropic/claude-sonnet-4-20250514").orElseThrow();

        CostEstimate local = new CostCalculator(bundled).estimate(List.of("llama3.1:8b"), usage, hw).getFirst();

        assertThat(local.perPeriod()).isEqualTo(100.0);
        // per output token, with 5 input tokens each: ($15 + 5 × $3) / 1M; $100 / that = 3.33M output tokens a month
        assertThat(CostCalculator.breakEvenOutputTokens(sonnet, usage, hw)).isEqualTo(3_333_333L);
    }

    @Test
    void aLocalModelsMeasuredEnergyIsPricedAtTheConfiguredRate() {
        var usage = new CostCalculator.Usage(5_000_000, 2_000_000, 0, 1000L);
        var measured = new CostCalculator(bundled, m -> m.equals("mine:q4") ? 0.5 : null, 0.30);

        CostEstimate energyOnly = measured.estimate(List.of("mine:q4"), usage, null).getFirst();
        // 2M output tokens × 0.5 Wh per 1,000 = 1 kWh; at $0.30 per kWh
        assertThat(energyOnly.perPeriod()).isCloseTo(0.30, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(energyOnly.perRequest()).isCloseTo(0.0003, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(energyOnly.basis()).contains("0.500 Wh per 1,000 tokens", "$0.300/kWh");
        CostEstimate both = measured.estimate(List.of("mine:q4"), usage, new CostCalculator.Hardware(3600, 36)).getFirst();
        assertThat(both.perPeriod()).isCloseTo(100.30, org.assertj.core.data.Offset.offset(1e-9));

        assertThat(measured.estimate(List.of("other:q4"), usage, null).getFirst().perPeriod()).as("not measured: unknown").isNull();
        CostEstimate noPrice = new CostCalculator(bundled, m -> 0.5, null).estimate(List.of("mine:q4"), usage, null).getFirst();
        assertThat(noPrice.perPeriod()).isNull();
        assertThat(noPrice.basis()).contains("set cost.kwh_price");
    }

    @Test
    void aUserRegistryReplacesPricesAndAddsModels() throws IOException {
        Path mine = Files.writeString(dir.resolve("prices.json"), """
                {"models": [
                  {"id": "openai/gpt-4o", "provider": "openai", "kind": "cloud", "context_window": 128000,
                   "price": {"input": 1.0, "output": 4.0, "as_of": "2026-11", "source": "our contract"}},
                  {"id": "acme/fast", "provider": "acme", "kind": "cloud", "price": {"input": 0.01, "output": 0.02}}
                ]}""");
        Registry r = Registry.load(List.of(mine));

        assertThat(r.find("openai/gpt-4o").orElseThrow().price().inputPerMillion()).isEqualTo(1.0);
        assertThat(r.find("fast")).isPresent();
        assertThat(r.filter("anthropic", "vision")).isNotEmpty().allSatisfy(e -> assertThat(e.capabilities()).contains("vision"));

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"models\": [{\"id\": \"x\", \"price\": {\"input\": -1, \"output\": 1}}]}");
        assertThatThrownBy(() -> Registry.load(List.of(bad))).hasMessageContaining("non-negative");
    }

    @Test
    void everyBundledCloudPriceHasItsDateAndSource() {
        assertThat(bundled.all()).filteredOn(e -> e.price() != null).isNotEmpty().allSatisfy(e -> {
            assertThat(e.price().asOf()).matches("\\d{4}-\\d{2}(-\\d{2})?");
            assertThat(e.price().source()).startsWith("https://");
        });
    }

    @Test
    void tokenCountsParseAsPeopleWriteThem() {
        assertThat(TokenCount.parse("5M")).isEqualTo(5_000_000);
        assertThat(TokenCount.parse("500k")).isEqualTo(500_000);
        assertThat(TokenCount.parse("1.5B")).isEqualTo(1_500_000_000L);
        assertThat(TokenCount.parse("12,000")).isEqualTo(12_000);
        assertThatThrownBy(() -> TokenCount.parse("lots")).hasMessageContaining("invalid token count");
    }
}
