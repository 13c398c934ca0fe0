package dev.paddock.runner;

import dev.paddock.error.PaddockException;
import java.time.Duration;

/** Ollama-style keep-alive values: seconds ("300"), durations ("5m", "1h", "30s"), "-1" for ever, "0" for unload now. */
public final class KeepAlive {
    public static final long FOREVER = -1;

    private KeepAlive() {}

    /** Seconds, or {@link #FOREVER}. */
    public static long parseSeconds(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("-")) {
                return FOREVER;
            }
            if (t.matches("\\d+")) {
                return Long.parseLong(t);
            }
            if (t.matches("\\d+(ms|s|m|h)")) {
                long n = Long.parseLong(t.replaceAll("\\D", ""));
                return switch (t.replaceAll("\\d", "")) {
                    case "ms" -> n / 1000;
                    case "s" -> n;
                    case "m" -> Duration.ofMinutes(n).toSeconds();
                    default -> Duration.ofHours(n).toSeconds();
                };
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw PaddockException.invalidInput("invalid keep-alive \"" + text + "\": use seconds or 30s, 5m, 1h; -1 keeps the model loaded");
    }
}
