package dev.paddock.cost;

import dev.paddock.error.PaddockException;
import java.util.Locale;

/** Token counts as people write them: 5M, 500k, 1.5B, 12000. */
public final class TokenCount {
    private TokenCount() {}

    public static long parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT).replace("_", "").replace(",", "");
        double scale = 1;
        if (t.endsWith("K")) {
            scale = 1e3;
        } else if (t.endsWith("M")) {
            scale = 1e6;
        } else if (t.endsWith("B") || t.endsWith("G")) {
            scale = 1e9;
        }
        try {
            double v = Double.parseDouble(scale == 1 ? t : t.substring(0, t.length() - 1)) * scale;
            if (v < 0 || Double.isNaN(v) || v > 1e18) {
                throw new NumberFormatException();
            }
            return Math.round(v);
        } catch (NumberFormatException e) {
            throw PaddockException.invalidInput("invalid token count \"" + text + "\": use a number, optionally with k, M or B (e.g. 5M)");
        }
    }
}
