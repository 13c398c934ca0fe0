package dev.paddock.engine;

import dev.paddock.error.PaddockException;
import java.util.regex.Pattern;

/** Engine ids are folder names under {@code engines/}: checked so that none reaches outside it. */
final class EngineId {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private EngineId() {}

    static String check(String id) {
        String s = id == null ? "" : id.strip().toLowerCase(java.util.Locale.ROOT);
        if (!VALID.matcher(s).matches() || s.contains("..")) {
            throw PaddockException.invalidInput("\"" + id + "\" is not an engine id: 1–64 characters from a-z 0-9 . _ -, starting with a"
                    + " letter or digit (see paddock engine list)");
        }
        return s;
    }
}
