package dev.paddock.hardware;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This machine as Paddock sees it: CPU, memory, OS, container limits, GPUs, and notes on what could not be read. */
public record HardwareReport(CpuTopology cpu, Long cpuMaxFrequencyHz, SystemMemory memory, String os, Double containerCpus,
        List<GpuInfo> gpus, List<String> notes) {

    public static HardwareReport detect(SystemTool tool) {
        List<String> notes = new ArrayList<>();
        OshiFacts oshi = OshiFacts.read();
        CpuTopology cpu = CpuTopology.detect();
        SystemMemory memory = SystemMemory.detect();
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")";
        Long freq = null;
        if (oshi != null) {
            os = oshi.os() + " (" + System.getProperty("os.arch") + ")";
            freq = oshi.maxFrequencyHz();
            if (cpu.model().equals("unknown")) { // not Linux: OSHI's view of the CPU and memory
                cpu = new CpuTopology(oshi.cpuModel(), oshi.physicalCores(), oshi.logicalCpus(), cpu.features());
            }
            if (memory.totalBytes() <= 0) {
                memory = new SystemMemory(oshi.totalMemoryBytes(), oshi.availableMemoryBytes(), null);
            }
        } else {
            notes.add("OSHI could not read this platform; CPU and memory come from /proc only");
        }
        var cpus = CpuLimit.read(Path.of("/sys/fs/cgroup"));
        List<GpuInfo> gpus = GpuProbe.detect(tool, System.getProperty("os.name"), notes::add);
        return new HardwareReport(cpu, freq, memory, os, cpus.isPresent() ? cpus.getAsDouble() : null, gpus, notes);
    }
}
