package dev.paddock.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.bench.SpeedSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricWinnersTest {
    private static ComparisonRow row(String model, Double tg, Double tgSd, Double quality) {
        SpeedSummary s = new SpeedSummary(model, 128, 3, 0, null, null, tg, tgSd, 50.0, null, null, null, null, null, null, null);
        return new ComparisonRow(model, s, null, quality, null, null, null, null);
    }

    @Test
    void aLeadBeyondTheNoiseWinsOneWithinItDoesNot() {
        assertThat(Metric.TG.winners(List.of(row("a", 100.0, 2.0, null), row("b", 80.0, 2.0, null)))).containsExactly("a");
        // repetitions spread 360–4,715 tok/s: a mean that high says nothing against 900
        assertThat(Metric.TG.winners(List.of(row("wild", 2100.0, 2000.0, null), row("steady", 900.0, 10.0, null)))).isEmpty();
        assertThat(Metric.TG.winners(List.of(row("a", 100.0, 5.0, null), row("b", 95.0, 5.0, null)))).isEmpty(); // 5 < 2 × 5
    }

    @Test
    void nothingWinsWithNothingAndTiesWinTogether() {
        assertThat(Metric.QUALITY.winners(List.of(row("a", 10.0, 1.0, 0.0), row("b", 10.0, 1.0, 0.0)))).isEmpty(); // 0 % is no win
        assertThat(Metric.QUALITY.winners(List.of(row("a", 10.0, 1.0, 0.8), row("b", 10.0, 1.0, 0.8), row("c", 10.0, 1.0, 0.5))))
                .containsExactly("a", "b");
        assertThat(Metric.QUALITY.winners(List.of(row("a", 10.0, 1.0, 0.9), row("b", 10.0, 1.0, null)))).isEmpty(); // one value: no comparison
        assertThat(Metric.TTFT.winners(List.of(row("a", 10.0, 1.0, null), row("b", 10.0, 1.0, null)))).containsExactly("a", "b");
    }
}
