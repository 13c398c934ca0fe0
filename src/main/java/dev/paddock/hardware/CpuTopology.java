package dev.paddock.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CPU as llama.cpp cares about it, from /proc/cpuinfo: model, physical cores (its best thread count),
 * logical CPUs, and the instruction sets that decide which kernels run (AVX2, AVX-512, AVX-VNNI, AMX; NEON
 * and SVE on ARM).
 */
public record CpuTopology(String model, int physicalCores, int logicalCpus, List<String> features) {
    static final List<String> INTERESTING = List.of("avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx512_bf16",
            "avx_vnni", "amx_tile", "amx_int8", "amx_bf16", "sha_ni", "asimd", "sve", "sve2");

    public static CpuTopology detect() {
        return read(Path.of("/proc/cpuinfo"));
    }

    static CpuTopology read(Path cpuinfo) {
        int logical = 0;
        Set<String> cores = new HashSet<>();
        String model = null;
        String physicalId = "0";
        Integer coresPerPackage = null;
        Set<String> flags = new HashSet<>();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "processor" -> logical++;
                    case "model name" -> model = model == null ? value : model;
                    case "physical id" -> physicalId = value;
                    case "core id" -> cores.add(physicalId + ":" + value);
                    case "cpu cores" -> coresPerPackage = Integer.parseInt(value);
                    case "flags", "features" -> flags.addAll(List.of(value.split("\\s+")));
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to what the JVM knows
        }
        if (logical == 0) {
            logical = Runtime.getRuntime().availableProcessors();
        }
        int physical = !cores.isEmpty() ? cores.size() : coresPerPackage != null ? coresPerPackage : logical;
        List<String> features = INTERESTING.stream().filter(flags::contains).toList();
        return new CpuTopology(model == null ? "unknown" : model, physical, logical, features);
    }
}
