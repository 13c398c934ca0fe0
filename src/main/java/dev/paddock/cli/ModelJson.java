package dev.paddock.cli;

import dev.paddock.store.StoredModel;

/** A stored model as {@code --json} shows it: plain strings and numbers, times in ISO-8601 UTC. */
record ModelJson(
        String name,
        String provider,
        String digest,
        long sizeBytes,
        String format,
        String architecture,
        Long parameterCount,
        String quantization,
        Long contextLength,
        String source,
        String addedAt,
        String lastUsedAt,
        Projector projector) {

    /** The model's multimodal projector (mmproj), which makes it take images; absent for a text-only model. */
    record Projector(String digest, long sizeBytes) {}

    static ModelJson of(StoredModel m) {
        return new ModelJson(m.name().toString(), "local", m.digest().toString(), m.sizeBytes(), m.format(), m.architecture(),
                m.parameterCount(), m.quantization(), m.contextLength(), m.source(), m.addedAt().toString(),
                m.lastUsedAt() == null ? null : m.lastUsedAt().toString(),
                m.projector() == null ? null : new Projector(m.projector().digest().toString(), m.projector().sizeBytes()));
    }
}
