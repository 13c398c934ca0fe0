package dev.paddock.provider;

import java.util.List;

/** A provider that loads models into memory and can say which are loaded. */
public interface ModelLoader {
    List<LoadedModel> loadedModels();

    /** Unloads the model; false when it was not loaded. */
    boolean unload(String model);

    /** A loaded model: memory as the provider reports it (null when it does not), when it unloads. */
    record LoadedModel(String provider, String name, Long memoryBytes, Long gpuMemoryBytes, java.time.Instant since,
            java.time.Instant expiresAt) {}
}
