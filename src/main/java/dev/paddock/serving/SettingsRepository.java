package dev.paddock.serving;

import java.util.Optional;

/** Small persisted choices by name (the active model). */
public interface SettingsRepository {
    Optional<String> get(String name);

    void put(String name, String value);
}
