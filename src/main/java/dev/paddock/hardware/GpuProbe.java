package dev.paddock.hardware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPUs from their vendors' tools: nvidia-smi (CSV query, and -q -x for the CUDA version), rocm-smi (JSON),
 * sysctl on Apple Silicon (unified memory). A missing tool means none found; a failing one is a note.
 */
public final class GpuProbe {
    static final List<String> NVIDIA_QUERY = List.of("nvidia-smi",
            "--query-gpu=index,uuid,name,driver_version,memory.total,memory.used,memory.free,utilization.gpu,temperature.gpu,"
                    + "power.draw,power.limit,compute_cap,pci.bus_id",
            "--format=csv,noheader,nounits");
    static final List<String> NVIDIA_XML = List.of("nvidia-smi", "-q", "-x");
    static final List<String> ROCM = List.of("rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json");
    static final List<String> APPLE = List.of("sysctl", "-n", "machdep.cpu.brand_string", "hw.memsize");

    private GpuProbe() {}

    public static List<GpuInfo> detect(SystemTool tool, String osName, Consumer<String> notes) {
        List<GpuInfo> gpus = new ArrayList<>();
        try {
            tool.run(NVIDIA_QUERY).ifPresent(csv -> {
                String cuda = tool.run(NVIDIA_XML).map(GpuProbe::cudaVersion).orElse(null);
                gpus.addAll(nvidia(csv, cuda));
            });
        } catch (SystemTool.Failed e) {
            notes.accept("nvidia-smi: " + e.getMessage());
        }
        try {
            tool.run(ROCM).ifPresent(json -> gpus.addAll(rocm(json)));
        } catch (SystemTool.Failed e) {
            notes.accept("rocm-smi: " + e.getMessage());
        }
        if (osName.toLowerCase(Locale.ROOT).contains("mac")) {
            try {
                tool.run(APPLE).ifPresent(out -> apple(out).ifPresent(gpus::add));
            } catch (SystemTool.Failed e) {
                notes.accept("sysctl: " + e.getMessage());
            }
        }
        return gpus;
    }

    static List<GpuInfo> nvidia(String csv, String cudaVersion) {
        List<GpuInfo> out = new ArrayList<>();
        for (String line : csv.strip().lines().toList()) {
            String[] f = line.split(",\\s*");
            if (f.length < 13) {
                continue;
            }
            out.add(new GpuInfo("nvidia", (int) num(f[0]), f[2], mib(f[4]), mib(f[5]), mib(f[6]), f[3], cudaVersion,
                    f[11], dbl(f[9]), dbl(f[10]), false));
        }
        return out;
    }

    static String cudaVersion(String xml) {
        Matcher m = Pattern.compile("<cuda_version>([^<]+)</cuda_version>").matcher(xml);
        return m.find() ? m.group(1).strip() : null;
    }

    static List<GpuInfo> rocm(String json) {
        List<GpuInfo> out = new ArrayList<>();
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            int i = 0;
            for (var it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().startsWith("card")) {
                    continue;
                }
                JsonNode c = e.getValue();
                Long total = longOrNull(c.path("VRAM Total Memory (B)").asText(null));
                Long used = longOrNull(c.path("VRAM Total Used Memory (B)").asText(null));
                out.add(new GpuInfo("amd", i++, c.path("Card series").asText(c.path("Card SKU").asText("AMD GPU")), total, used,
                        total != null && used != null ? total - used : null, null, null, c.path("GFX Version").asText(null),
                        null, null, false));
            }
        } catch (IOException e) {
            // unreadable output: none found
        }
        return out;
    }

    static Optional<GpuInfo> apple(String sysctl) {
        List<String> lines = sysctl.strip().lines().toList();
        if (lines.size() < 2 || !lines.getFirst().startsWith("Apple")) {
            return Optional.empty();
        }
        Long mem = longOrNull(lines.get(1).strip());
        return Optional.of(new GpuInfo("apple", 0, lines.getFirst().strip(), mem, null, null, null, null, null, null, null, true));
    }

    private static Long mib(String s) {
        Long v = longOrNull(s.strip());
        return v == null ? null : v << 20;
    }

    private static Double dbl(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return null; // "[N/A]"
        }
    }

    private static long num(String s) {
        return Long.parseLong(s.strip());
    }

    private static Long longOrNull(String s) {
        try {
            return s == null ? null : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
