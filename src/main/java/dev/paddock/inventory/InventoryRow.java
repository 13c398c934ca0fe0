package dev.paddock.inventory;

import java.time.Instant;

/**
 * One model as the list shows it, whatever its provider: size, parameters, quantisation and context where
 * known (null otherwise, never guessed); {@code fits} only for local models (whether it runs here: an installed
 * engine loads its files as they stand and it fits this machine's memory at its default context) and
 * {@code runnable} (whether an installed engine can load it); the generation
 * speed of its latest benchmark, if any; {@code vision} whether a local model has a vision projector (null: not known);
 * {@code problem} why a local model's files cannot be loaded as they stand (a moved file, a projector for another model),
 * null when they can.
 */
public record InventoryRow(String name, String provider, Long sizeBytes, Long parameterCount, String quantization,
        Long contextLength, Boolean fits, Instant addedAt, String digest, Double lastTokensPerSecond, Instant lastBenchmarkAt,
        Boolean runnable, Boolean vision, String problem) {}
