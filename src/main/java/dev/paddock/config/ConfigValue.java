package dev.paddock.config;

/** A setting's effective value and where it came from. */
public record ConfigValue(Setting setting, String value, Source source) {
    public enum Source {
        FLAG, ENVIRONMENT, FILE, DEFAULT
    }

    /** The value as it may be shown: secrets redacted. */
    public String displayValue() {
        return setting.secret() && !value.isEmpty() ? "********" : value;
    }
}
