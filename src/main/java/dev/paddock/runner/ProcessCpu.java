package dev.paddock.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;

/** Average CPU use of a process over its life, from {@code /proc/<pid>/stat} (user + system time). */
public final class ProcessCpu {
    /** Linux reports CPU time in clock ticks of 1/100 s on every mainstream architecture. */
    static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /** Percent of one core, averaged since the process started {@code alive} ago, its children's (llama-server) included. */
    public static OptionalDouble averagePercent(long pid, Duration alive) {
        try {
            double seconds = cpuSeconds(pid);
            for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(java.util.List.of())) {
                try {
                    seconds += cpuSeconds(child.pid());
                } catch (IOException | RuntimeException gone) {
                    // it ended meanwhile
                }
            }
            double wall = Math.max(0.001, alive.toNanos() / 1e9);
            return OptionalDouble.of(100 * seconds / wall);
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after "pid (comm) "
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
    }
}
