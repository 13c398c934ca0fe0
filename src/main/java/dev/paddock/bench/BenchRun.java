package dev.paddock.bench;

import java.time.Instant;
import java.util.List;

/**
 * A benchmark of one model, with what produced it: digest, quantisation, provider, engine, hardware,
 * settings, suite and its version, times; and its samples. {@code status}: running, complete, incomplete
 * (interrupted), failed.
 */
public record BenchRun(String id, String model, String provider, String digest, String quantization, String engine,
        String hardware, String settings, String suite, String suiteVersion, Instant startedAt, Instant finishedAt,
        String status, String error, List<SpeedSample> samples) {

    public BenchRun {
        samples = List.copyOf(samples);
    }
}
