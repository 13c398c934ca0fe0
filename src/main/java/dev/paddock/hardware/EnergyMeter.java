package dev.paddock.hardware;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Energy from the CPU packages' RAPL counters ({@code /sys/class/powercap/intel-rapl:N/energy_uj}, AMD's
 * too on recent kernels), in joules between two readings, counter wrap-around included. Where the counters
 * are absent or unreadable (most VMs, non-root), energy is unavailable: never estimated.
 */
public final class EnergyMeter {
    private final Path powercap;

    public EnergyMeter(Path powercap) {
        this.powercap = powercap;
    }

    public static EnergyMeter system() {
        return new EnergyMeter(Path.of("/sys/class/powercap"));
    }

    /** A reading of every package counter, or null when there are none to read. */
    public Reading read() {
        List<long[]> counters = new ArrayList<>();
        if (!Files.isDirectory(powercap)) {
            return null;
        }
        try (DirectoryStream<Path> zones = Files.newDirectoryStream(powercap, "intel-rapl:*")) {
            for (Path zone : zones) {
                if (zone.getFileName().toString().chars().filter(c -> c == ':').count() != 1) {
                    continue; // a sub-zone (core, uncore, dram): counted within its package
                }
                long energy = Long.parseLong(Files.readString(zone.resolve("energy_uj")).strip());
                Path rangeFile = zone.resolve("max_energy_range_uj");
                long range = Files.exists(rangeFile) ? Long.parseLong(Files.readString(rangeFile).strip()) : Long.MAX_VALUE;
                counters.add(new long[] {energy, range});
            }
        } catch (IOException | RuntimeException e) {
            return null; // unreadable (permissions): unavailable
        }
        return counters.isEmpty() ? null : new Reading(counters);
    }

    /** Counter values at one moment. */
    public record Reading(List<long[]> counters) {
        /** Joules from {@code earlier} to this reading. */
        public OptionalDouble joulesSince(Reading earlier) {
            if (earlier == null || earlier.counters.size() != counters.size()) {
                return OptionalDouble.empty();
            }
            double microjoules = 0;
            for (int i = 0; i < counters.size(); i++) {
                long now = counters.get(i)[0];
                long then = earlier.counters.get(i)[0];
                long range = counters.get(i)[1];
                microjoules += now >= then ? now - then : range - then + now; // wrapped once
            }
            return OptionalDouble.of(microjoules / 1e6);
        }
    }

    /** Watt-hours per 1,000 tokens. */
    public static double whPerThousandTokens(double joules, long tokens) {
        return tokens == 0 ? Double.NaN : joules / 3600.0 / tokens * 1000;
    }
}
