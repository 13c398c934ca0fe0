package dev.paddock.hardware;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/**
 * What OSHI reads well on every platform: the CPU's identity, core counts and frequency, total memory and
 * the OS. Probes degrade to "unknown" rather than fail: a restricted container may hide some of it.
 */
record OshiFacts(String cpuModel, int physicalCores, int logicalCpus, Long maxFrequencyHz, long totalMemoryBytes,
        long availableMemoryBytes, String os) {

    static OshiFacts read() {
        try {
            SystemInfo si = new SystemInfo();
            CentralProcessor cpu = si.getHardware().getProcessor();
            long freq = cpu.getMaxFreq();
            var memory = si.getHardware().getMemory();
            return new OshiFacts(cpu.getProcessorIdentifier().getName().strip(), cpu.getPhysicalProcessorCount(),
                    cpu.getLogicalProcessorCount(), freq > 0 ? freq : null, memory.getTotal(), memory.getAvailable(),
                    si.getOperatingSystem().toString());
        } catch (RuntimeException | LinkageError e) {
            return null; // a platform OSHI cannot read: /proc and the JVM's view remain
        }
    }
}
