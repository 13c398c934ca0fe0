package dev.paddock.hardware;

import java.util.List;
import java.util.Optional;

/**
 * The GPU memory a process holds on NVIDIA GPUs, from
 * {@code nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits} (MiB per GPU and
 * process; summed over GPUs). Empty — unknown, never zero — without nvidia-smi, on a driver error, or when
 * the process holds no GPU memory.
 */
public final class GpuProcessMemory {
    static final List<String> COMMAND = List.of("nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits");

    private GpuProcessMemory() {}

    public static Optional<Long> usedBytes(long pid, SystemTool tool) {
        try {
            return tool.run(COMMAND).flatMap(out -> parse(out, pid));
        } catch (SystemTool.Failed e) {
            return Optional.empty();
        }
    }

    /** Sums the rows of {@code pid}; rows with "[N/A]" (no permission to see the figure) count as unknown. */
    static Optional<Long> parse(String csv, long pid) {
        long total = 0;
        boolean found = false;
        for (String line : csv.strip().split("\n")) {
            String[] cells = line.split(",");
            if (cells.length < 2 || !cells[0].strip().equals(String.valueOf(pid))) {
                continue;
            }
            String mib = cells[1].strip().replace(" MiB", "");
            if (!mib.matches("\\d+")) {
                return Optional.empty();
            }
            total += Long.parseLong(mib) << 20;
            found = true;
        }
        return found ? Optional.of(total) : Optional.empty();
    }
}
