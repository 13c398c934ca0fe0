package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadTestTest {
    private static SpeedSample ok(double e2e, int out) {
        return new SpeedSample(1, 10, out, null, null, 10.0, null, e2e, List.of(), null, null);
    }

    @Test
    void throughputAndLatencyByHand() {
        List<SpeedSample> s = List.of(ok(100, 10), ok(200, 20), ok(300, 30),
                new SpeedSample(4, 0, 0, null, null, null, null, 50, List.of(), "timed out", null));

        LoadResult r = LoadTest.summarise(4, null, s, 2000);

        assertThat(r.requests()).isEqualTo(4);
        assertThat(r.errors()).isEqualTo(1);
        assertThat(r.requestsPerSecond()).isCloseTo(1.5, within(1e-12)); // 3 completed in 2 s
        assertThat(r.outputTokensPerSecond()).isCloseTo(30, within(1e-12)); // 60 tokens in 2 s
        assertThat(r.latencyP50()).isEqualTo(200.0);
        assertThat(r.latencyP90()).isCloseTo(280, within(1e-9));
    }

    @Test
    void atMostTheConcurrencyAreInFlightAndPoissonArrivalsAreSpreadOut() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        List<Integer> peaks = Collections.synchronizedList(new ArrayList<>());
        LoadResult r = LoadTest.run(3, null, 12, 1, i -> {
            peaks.add(inFlight.incrementAndGet());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return ok(20, 5);
        });
        assertThat(r.requests()).isEqualTo(12);
        assertThat(Collections.max(peaks)).isLessThanOrEqualTo(3);

        // Poisson arrivals: seeded, so the schedule is exact; its gaps average about 1/rate
        long[] at = LoadTest.arrivals(100.0, 2000, 7);
        assertThat(at).isSorted();
        assertThat(at[at.length - 1] / 2000 / 1e6).as("mean gap in ms").isBetween(9.0, 11.0);
        assertThat(LoadTest.arrivals(100.0, 20, 7)).isEqualTo(LoadTest.arrivals(100.0, 20, 7));
        long[] twenty = LoadTest.arrivals(100.0, 20, 7);
        long start = System.nanoTime();
        LoadTest.run(8, 100.0, 20, 7, i -> ok(1, 1));
        assertThat(System.nanoTime() - start).as("the last request waited for its arrival").isGreaterThanOrEqualTo(twenty[19]);
    }
}
