package dev.paddock.hardware;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * This machine's memory bandwidth, measured and cached in {@code hardware/bandwidth.json} of Paddock's home for
 * this CPU: reading (two equal buffers compared to their end, as generation reads weights) and STREAM's copy
 * (read one buffer, write another, both counted), the better of the two as the figure, on one thread per core, over off-heap buffers far larger
 * than any cache (512 MiB in all), the best of several passes. Token generation reads
 * every weight once per token, so this is the roof a model's speed runs under: tokens/s × bytes read per token,
 * over this, says how close it comes.
 */
public record MemoryBandwidth(double gbPerSecond, double readGbPerSecond, double copyGbPerSecond, int threads, String cpu,
        String measuredAt) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long TOTAL_BYTES = 512L << 20;
    private static final int PASSES = 6;

    /** The cached figure for this CPU, else a measurement (about a second), cached. */
    public static MemoryBandwidth of(Path home, CpuTopology cpu, Clock clock, boolean remeasure) {
        Path file = home.resolve("hardware").resolve("bandwidth.json");
        if (!remeasure) {
            Optional<MemoryBandwidth> cached = read(file).filter(b -> b.cpu().equals(cpu.model()));
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        MemoryBandwidth b = measure(Math.max(1, cpu.physicalCores()), cpu.model(), clock);
        try {
            Files.createDirectories(file.getParent());
            dev.paddock.store.AtomicFile.write(file, JSON.writeValueAsBytes(b));
        } catch (IOException e) {
            // measured again next time
        }
        return b;
    }

    /** The cached figure only (never measures): for tables that must answer at once. */
    public static Optional<MemoryBandwidth> cached(Path home) {
        return read(home.resolve("hardware").resolve("bandwidth.json"));
    }

    private static Optional<MemoryBandwidth> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), MemoryBandwidth.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static MemoryBandwidth measure(int threads, String cpu, Clock clock) {
        long each = Math.max(1 << 20, TOTAL_BYTES / 2 / threads) & ~4095L;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            java.lang.foreign.MemorySegment[] from = new java.lang.foreign.MemorySegment[threads];
            java.lang.foreign.MemorySegment[] to = new java.lang.foreign.MemorySegment[threads];
            for (int t = 0; t < threads; t++) {
                from[t] = arena.allocate(each, 4096).fill((byte) 1); // touched: the pages exist before the clock starts
                to[t] = arena.allocate(each, 4096).fill((byte) 1);
            }
            double copy = 0;
            double read = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                copy = Math.max(copy, 2.0 * each * threads / 1e9 / run(threads,
                        t -> java.lang.foreign.MemorySegment.copy(from[t], 0, to[t], 0, each)));
                // comparing two equal buffers reads both to the end and writes nothing: generation's access pattern
                read = Math.max(read, 2.0 * each * threads / 1e9 / run(threads, t -> from[t].mismatch(to[t])));
            }
            return new MemoryBandwidth(Math.max(read, copy), read, copy, threads, cpu, clock.instant().toString());
        }
    }

    private interface Kernel {
        void run(int thread);
    }

    /** Seconds for all threads to run the kernel once, started together. */
    private static double run(int threads, Kernel k) {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            running.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                k.run(id);
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    }
}
