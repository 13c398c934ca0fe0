package dev.paddock.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/** The CPUs a container may use: cgroup v2 cpu.max ("200000 100000" = 2 CPUs), or v1 cfs quota / period. */
final class CpuLimit {
    private CpuLimit() {}

    static OptionalDouble read(Path cgroupRoot) {
        try {
            Path v2 = cgroupRoot.resolve("cpu.max");
            if (Files.exists(v2)) {
                String[] f = Files.readString(v2).strip().split("\\s+");
                return f[0].equals("max") ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(f[0]) / Double.parseDouble(f[1]));
            }
            Path quota = cgroupRoot.resolve("cpu/cpu.cfs_quota_us");
            Path period = cgroupRoot.resolve("cpu/cpu.cfs_period_us");
            if (Files.exists(quota) && Files.exists(period)) {
                long q = Long.parseLong(Files.readString(quota).strip());
                return q <= 0 ? OptionalDouble.empty() : OptionalDouble.of(q / Double.parseDouble(Files.readString(period).strip()));
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: no limit known
        }
        return OptionalDouble.empty();
    }
}
