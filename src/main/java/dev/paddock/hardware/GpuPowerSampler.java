package dev.paddock.hardware;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;

/**
 * GPU energy over an interval on NVIDIA: one {@code nvidia-smi --query-gpu=power.draw --format=csv,noheader,nounits
 * -lms 200} process streams the draw of every GPU (watts) five times a second, and the samples are integrated
 * (trapezoids over the time each arrived). One process per interval, not one per sample, so the measurement
 * costs the machine little. Unavailable (empty) without nvidia-smi or with no sample.
 */
public final class GpuPowerSampler implements AutoCloseable {
    static final List<String> COMMAND = List.of("nvidia-smi", "--query-gpu=power.draw", "--format=csv,noheader,nounits", "-lms", "200");

    private final Process process;
    private final Thread reader;
    private double joules;
    private long lastNanos;
    private double lastWatts = Double.NaN;
    private int samples;

    private GpuPowerSampler(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Starts sampling with nvidia-smi; null where it cannot run (no NVIDIA driver here). */
    public static GpuPowerSampler start() {
        return start(COMMAND);
    }

    static GpuPowerSampler start(List<String> command) {
        try {
            return new GpuPowerSampler(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            return null;
        }
    }

    /** nvidia-smi prints one line per GPU per sample; lines of one sample arrive together and are summed. */
    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            double sum = 0;
            long sampleAt = 0;
            while ((line = in.readLine()) != null) {
                String w = line.strip();
                if (!w.matches("\\d+(\\.\\d+)?")) {
                    continue; // "[N/A]", "[Not Supported]", an error line
                }
                long now = System.nanoTime();
                if (sampleAt != 0 && now - sampleAt > 50_000_000L) { // a new sample: add the last one
                    add(sampleAt, sum);
                    sum = 0;
                }
                if (sum == 0) {
                    sampleAt = now;
                }
                sum += Double.parseDouble(w);
            }
            if (sampleAt != 0) {
                add(sampleAt, sum);
            }
        } catch (IOException ignored) {
            // the process was stopped
        }
    }

    private synchronized void add(long atNanos, double watts) {
        if (!Double.isNaN(lastWatts)) {
            joules += (lastWatts + watts) / 2 * ((atNanos - lastNanos) / 1e9);
        }
        lastNanos = atNanos;
        lastWatts = watts;
        samples++;
    }

    /** Stops sampling; the joules the GPUs used between the first and the last sample, or empty with fewer than two. */
    public OptionalDouble stop() {
        process.destroy();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return samples < 2 ? OptionalDouble.empty() : OptionalDouble.of(joules);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
