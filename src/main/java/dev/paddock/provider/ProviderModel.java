package dev.paddock.provider;

/** A model as a provider lists it; facts the provider does not give are null. */
public record ProviderModel(String provider, String name, Long sizeBytes, Long parameterCount, String quantization,
        Long contextLength, String family) {}
