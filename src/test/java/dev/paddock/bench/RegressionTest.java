package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionTest {
    private static BenchRun run(double... tgs) {
        List<SpeedSample> samples = new ArrayList<>();
        int rep = 1;
        for (double tg : tgs) {
            samples.add(new SpeedSample(rep++, 128, 64, 500.0, tg, 50.0, 1000 / tg, 1000, List.of(), null, null));
        }
        return new BenchRun("id", "m", "local", null, null, null, null, "{}", "speed", "1", Instant.EPOCH, Instant.EPOCH, "complete",
                null, samples);
    }

    private static Regression.Verdict tg(BenchRun before, BenchRun after) {
        return Regression.compare(before, after).stream().filter(f -> f.metric().startsWith("tg")).findFirst().orElseThrow().verdict();
    }

    @Test
    void aDropBeyondTwoStandardDeviationsIsARegression() {
        // before: mean 100, sd 1; after: mean 90, sd 1; threshold 2 × 1 = 2
        assertThat(tg(run(99, 100, 101), run(89, 90, 91))).isEqualTo(Regression.Verdict.REGRESSED);
        assertThat(tg(run(99, 100, 101), run(109, 110, 111))).isEqualTo(Regression.Verdict.IMPROVED);
    }

    @Test
    void movesWithinTheNoiseAreNotFlagged() {
        // before sd 10, after sd 10: threshold 20; a 15 tokens/s drop is noise
        assertThat(tg(run(90, 100, 110), run(75, 85, 95))).isEqualTo(Regression.Verdict.WITHIN_NOISE);
    }

    @Test
    void aSlowerTimeToFirstTokenIsARegressionToo() {
        BenchRun before = run(100, 100, 100);
        List<SpeedSample> slow = before.samples().stream().map(s -> new SpeedSample(s.repetition(), s.promptTokens(), s.outputTokens(),
                s.promptTokensPerSecond(), s.generationTokensPerSecond(), 80.0 + s.repetition(), s.tpotMillis(), s.endToEndMillis(),
                s.itlMillis(), null, null)).toList();
        BenchRun after = new BenchRun("b", "m", "local", null, null, null, null, "{}", "speed", "1", Instant.EPOCH, Instant.EPOCH,
                "complete", null, slow);

        assertThat(Regression.compare(before, after)).filteredOn(f -> f.metric().startsWith("TTFT")).singleElement()
                .satisfies(f -> assertThat(f.verdict()).isEqualTo(Regression.Verdict.REGRESSED));
    }
}
