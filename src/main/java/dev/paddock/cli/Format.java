package dev.paddock.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Human renderings of numbers, at the edge only: bytes, parameter counts, times. */
final class Format {
    private Format() {}

    /** 1536 → "1.5 KiB"; binary units, as llama.cpp prints them. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** 7_241_732_096 → "7.2B"; 1_015_808 → "1.0M". */
    static String count(Long n) {
        if (n == null) {
            return null;
        }
        if (n < 1_000) {
            return Long.toString(n);
        }
        String[] units = {"K", "M", "B", "T"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f%s" : "%.1f%s", v, units[u]);
    }

    /** Context lengths: {@link #tokens}. */
    static String context(Long n) {
        return tokens(n);
    }

    /**
     * Token counts, one way for a whole column: K and M, binary for multiples of 1024 as model cards count
     * them (131072 → "128K", 1048576 → "1M"), decimal otherwise (200000 → "200K", 1047576 → "1.05M"), up to three
     * significant digits; exact below 1000.
     */
    static String tokens(Long n) {
        if (n == null) {
            return null;
        }
        if (n < 1000) {
            return Long.toString(n);
        }
        boolean binary = n % 1024 == 0;
        double k = binary ? 1024 : 1000;
        double v = n / k;
        String unit = "K";
        if (v >= (binary ? 1024 : 1000)) {
            v /= k;
            unit = "M";
        }
        String digits = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
        if (digits.contains(".")) {
            digits = digits.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return digits + unit;
    }

    /** 1234 ms → "1.23 s"; 12.3 ms → "12.3 ms". */
    static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    /** 3725 s → "1h 2m"; 75 s → "1m 15s". */
    static String span(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return "just now";
        }
        if (s < 3600) {
            return plural(s / 60, "minute") + " ago";
        }
        if (s < 86_400) {
            return plural(s / 3600, "hour") + " ago";
        }
        if (s < 86_400 * 60) {
            return plural(s / 86_400, "day") + " ago";
        }
        return then.toString().substring(0, 10);
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
