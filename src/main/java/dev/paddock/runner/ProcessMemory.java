package dev.paddock.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's memory from {@code /proc/<pid>/status}: resident now (VmRSS) and at its peak (VmHWM), its
 * children's included (a runner's llama-server holds the model, not the runner itself).
 */
public record ProcessMemory(long residentBytes, long peakResidentBytes) {

    public static Optional<ProcessMemory> of(long pid) {
        Optional<ProcessMemory> own = parse(Path.of("/proc", Long.toString(pid), "status"));
        if (own.isEmpty()) {
            return own;
        }
        long rss = own.get().residentBytes();
        long peak = own.get().peakResidentBytes();
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(java.util.List.of())) {
            Optional<ProcessMemory> m = parse(Path.of("/proc", Long.toString(child.pid()), "status"));
            if (m.isPresent()) {
                rss += m.get().residentBytes();
                peak += m.get().peakResidentBytes();
            }
        }
        return Optional.of(new ProcessMemory(rss, peak));
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
