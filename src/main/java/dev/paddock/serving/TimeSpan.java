package dev.paddock.serving;

import dev.paddock.error.PaddockException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A window of the request log as people write it: 90s, 30m, 24h, 7d, 2w (a bare number is seconds). */
public final class TimeSpan {
    private static final Pattern SPAN = Pattern.compile("(\\d{1,9})(s|m|h|d|w)?");

    private TimeSpan() {}

    /** Seconds; a usage error naming {@code what} (the flag or parameter) otherwise. */
    public static long seconds(String text, String what) {
        Matcher m = SPAN.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw PaddockException.usage(what + " must be a span such as 30m, 24h or 7d, not \"" + text.strip() + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return n * switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> 60L;
            case "h" -> 3_600L;
            case "d" -> 86_400L;
            case "w" -> 604_800L;
            default -> 1L;
        };
    }
}
