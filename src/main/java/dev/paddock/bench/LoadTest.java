package dev.paddock.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Drives many requests against one model and summarises them as a {@link LoadResult}. */
final class LoadTest {
    private LoadTest() {}

    /**
     * @param request sends request number i and returns its sample (failures as samples with an error)
     * @param rate requests per second with exponential gaps (seeded), or null: start as fast as the concurrency allows
     */
    static LoadResult run(int concurrency, Double rate, int requests, long seed, IntFunction<SpeedSample> request)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<SpeedSample>> futures = new ArrayList<>();
        long[] offsets = rate == null ? null : arrivals(rate, requests, seed);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < requests; i++) {
                if (offsets != null) {
                    long wait = start + offsets[i] - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                int n = i;
                futures.add(pool.submit(() -> request.apply(n)));
            }
            List<SpeedSample> samples = new ArrayList<>();
            for (Future<SpeedSample> f : futures) {
                try {
                    samples.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof dev.paddock.serving.RequestCancelled c) {
                        throw c;
                    }
                    samples.add(new SpeedSample(0, 0, 0, null, null, null, null, 0, List.of(), String.valueOf(e.getCause()), null));
                }
            }
            double wall = (System.nanoTime() - start) / 1e6;
            return summarise(concurrency, rate, samples, wall);
        } finally {
            pool.shutdownNow();
        }
    }

    /** When each request of a Poisson process at {@code rate} per second starts, in nanoseconds after the first moment. */
    static long[] arrivals(double rate, int requests, long seed) {
        Random gaps = new Random(seed);
        long[] at = new long[requests];
        long due = 0;
        for (int i = 0; i < requests; i++) {
            due += (long) (-Math.log(1 - gaps.nextDouble()) / rate * 1e9);
            at[i] = due;
        }
        return at;
    }

    static LoadResult summarise(int concurrency, Double rate, List<SpeedSample> samples, double wallMillis) {
        List<SpeedSample> ok = samples.stream().filter(s -> !s.failed()).toList();
        List<Double> latency = new ArrayList<>(ok.stream().map(SpeedSample::endToEndMillis).toList());
        List<Double> ttft = ok.stream().map(SpeedSample::ttftMillis).filter(x -> x != null).toList();
        Collections.sort(latency);
        long outputs = ok.stream().mapToLong(SpeedSample::outputTokens).sum();
        double seconds = wallMillis / 1000;
        return new LoadResult(concurrency, rate, samples.size(), samples.size() - ok.size(), wallMillis, ok.size() / seconds,
                outputs / seconds, p(latency, 0.5), p(latency, 0.9), p(latency, 0.99), p(ttft, 0.5));
    }

    private static Double p(List<Double> v, double q) {
        return v.isEmpty() ? null : Statistics.percentile(v, q);
    }
}
