package dev.paddock.hardware;

/** One GPU as its vendor's tool reports it; what the tool does not say is null. */
public record GpuInfo(String vendor, int index, String name, Long memoryTotalBytes, Long memoryUsedBytes,
        Long memoryFreeBytes, String driver, String runtimeVersion, String computeCapability, Double powerDrawWatts,
        Double powerLimitWatts, boolean unifiedMemory) {}
