package dev.paddock.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory a new process can have: the host's MemAvailable, or less when this runs in a container whose
 * cgroup (v2 memory.max, v1 memory.limit_in_bytes) allows less: the container's limit is what counts.
 */
public record SystemMemory(long totalBytes, long availableBytes, Long containerLimitBytes) {

    /** What a model may use now. */
    public long usableBytes() {
        return availableBytes;
    }

    public static SystemMemory detect() {
        return read(Path.of("/proc/meminfo"), Path.of("/sys/fs/cgroup"));
    }

    static SystemMemory read(Path meminfo, Path cgroupRoot) {
        long total = meminfoKb(meminfo, "MemTotal:").orElse(-1) * 1024;
        long available = meminfoKb(meminfo, "MemAvailable:").orElse(-1) * 1024;
        Long limit = null;
        long used = 0;
        OptionalLong v2 = number(cgroupRoot.resolve("memory.max"));
        OptionalLong v1 = number(cgroupRoot.resolve("memory/memory.limit_in_bytes"));
        if (v2.isPresent()) {
            limit = v2.getAsLong();
            used = number(cgroupRoot.resolve("memory.current")).orElse(0);
        } else if (v1.isPresent() && v1.getAsLong() < (1L << 60)) { // v1 says "no limit" with a huge number
            limit = v1.getAsLong();
            used = number(cgroupRoot.resolve("memory/memory.usage_in_bytes")).orElse(0);
        }
        if (limit != null && limit < total) {
            available = Math.min(available, Math.max(0, limit - used));
        } else {
            limit = null;
        }
        return new SystemMemory(total, available, limit);
    }

    static OptionalLong meminfoKb(Path meminfo, String key) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith(key)) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }

    /** A cgroup file holding a number; "max" (no limit) and absent files give empty. */
    static OptionalLong number(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.equals("max") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
