package dev.paddock.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A process's memory from {@code /proc/<pid>/status}: resident now (VmRSS) and at its peak (VmHWM). */
public record ProcessMemory(long residentBytes, long peakResidentBytes) {

    public static Optional<ProcessMemory> of(long pid) {
        return parse(Path.of("/proc", Long.toString(pid), "status"));
    }

    static Optional<ProcessMemory> parse(Path status) {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line);
                }
            }
            return rss < 0 || hwm < 0 ? Optional.empty() : Optional.of(new ProcessMemory(rss, hwm));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, or not Linux
        }
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }
}
