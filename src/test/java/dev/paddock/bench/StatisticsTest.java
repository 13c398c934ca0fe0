package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsTest {
    private static final List<Double> V = List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0);

    @Test
    void meanAndSampleStandardDeviationByHand() {
        assertThat(Statistics.mean(V)).isEqualTo(5.0);
        // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32; 32 / 7
        assertThat(Statistics.sampleStdDev(V)).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat(Statistics.sampleStdDev(List.of(3.0))).isZero();
        assertThat(Statistics.coefficientOfVariation(V)).isCloseTo(Math.sqrt(32.0 / 7) / 5, within(1e-12));
    }

    @Test
    void percentilesInterpolateBetweenClosestRanks() {
        List<Double> ten = List.of(10.0, 1.0, 9.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0, 5.0);
        assertThat(Statistics.percentile(ten, 0.5)).isEqualTo(5.5); // position 4.5 between 5 and 6
        assertThat(Statistics.percentile(ten, 0.9)).isCloseTo(9.1, within(1e-12)); // position 8.1
        assertThat(Statistics.percentile(ten, 0.99)).isCloseTo(9.91, within(1e-12)); // position 8.91
        assertThat(Statistics.percentile(ten, 0)).isEqualTo(1.0);
        assertThat(Statistics.percentile(ten, 1)).isEqualTo(10.0);
        assertThat(Statistics.percentile(List.of(), 0.5)).isNaN();
    }

    @Test
    void aSummaryKeepsFailuresApartAndPoolsEveryGap() {
        SpeedSample a = new SpeedSample(1, 100, 10, 1000.0, 50.0, 20.0, 20.0, 200.0, List.of(10.0, 20.0, 30.0), null, null);
        SpeedSample b = new SpeedSample(2, 100, 10, 800.0, 40.0, 30.0, 25.0, 255.0, List.of(40.0), null, null);
        SpeedSample failed = new SpeedSample(3, 0, 0, null, null, null, null, 5.0, List.of(), "runner crashed", null);

        SpeedSummary s = SpeedSummary.of("m", List.of(a, b, failed));

        assertThat(s.repetitions()).isEqualTo(3);
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.tgMean()).isEqualTo(45.0);
        assertThat(s.tgSd()).isCloseTo(Math.sqrt(50), within(1e-12));
        assertThat(s.ppMean()).isEqualTo(900.0);
        assertThat(s.itlP50()).isEqualTo(25.0);
        assertThat(s.ttftMean()).isEqualTo(25.0);
        assertThat(s.promptTokens()).isEqualTo(100);
    }

    @Test
    void energyIsWattHoursPerThousandGeneratedTokensAndOnlyWhenEveryRepetitionMeasuredIt() {
        SpeedSample a = new SpeedSample(1, 10, 500, null, 50.0, 10.0, 20.0, 100, List.of(), null, 18.0);
        SpeedSample b = new SpeedSample(2, 10, 500, null, 50.0, 10.0, 20.0, 100, List.of(), null, 18.0);
        SpeedSample unmeasured = new SpeedSample(3, 10, 500, null, 50.0, 10.0, 20.0, 100, List.of(), null, null);

        assertThat(SpeedSummary.of("m", List.of(a, b)).whPerThousandTokens()).isCloseTo(0.01, within(1e-12)); // 36 J / 3600 / 1000 tokens
        assertThat(SpeedSummary.of("m", List.of(a, unmeasured)).whPerThousandTokens()).isNull();
    }
}
