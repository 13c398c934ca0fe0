package dev.paddock.serving;

import java.util.Optional;

/** The model Paddock answers with when a request names none: persisted, switched only once the new one is loaded. */
public final class ActiveModel {
    static final String SETTING = "active_model";

    private final SettingsRepository settings;

    public ActiveModel(SettingsRepository settings) {
        this.settings = settings;
    }

    public Optional<String> get() {
        return settings.get(SETTING).filter(s -> !s.isBlank());
    }

    /** No model is active any more (it was removed). */
    public void clear() {
        settings.put(SETTING, "");
    }

    public void set(String model) {
        settings.put(SETTING, model);
    }
}
