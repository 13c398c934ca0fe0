package dev.paddock.hardware;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This machine as Paddock sees it: CPU, memory, OS, container limits, GPUs, and notes on what could not be read. */
public record HardwareReport(CpuTopology cpu, SystemMemory memory, String os, Double containerCpus, List<GpuInfo> gpus,
        List<String> notes) {

    public static HardwareReport detect(SystemTool tool) {
        List<String> notes = new ArrayList<>();
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")";
        var cpus = CpuLimit.read(Path.of("/sys/fs/cgroup"));
        List<GpuInfo> gpus = GpuProbe.detect(tool, System.getProperty("os.name"), notes::add);
        return new HardwareReport(CpuTopology.detect(), SystemMemory.detect(), os, cpus.isPresent() ? cpus.getAsDouble() : null,
                gpus, notes);
    }
}
