package dev.paddock.bench;

/** What a local run cost the machine: the runner's peak resident memory (VmHWM) and the context it ran with. */
public record RunResources(Long peakRssBytes, Integer contextSize) {}
