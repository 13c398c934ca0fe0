package dev.paddock.model;

import dev.paddock.error.PaddockException;
import java.util.Locale;

/**
 * A model's name in the store: {@code family:tag}, the tag defaulting to {@code latest}.
 *
 * <p>Grammar (both parts): 1–80 characters from {@code a-z 0-9 . _ -}, starting with a letter or
 * digit, not ending with {@code .}, never containing {@code ..}. Names are case-insensitive and kept
 * in lower case, so {@code Llama3:8B} and {@code llama3:8b} are one model on every filesystem. The
 * rules keep a name safe to use as a path below {@code manifests/}: no separators, no dot segments.
 */
public record ModelName(String family, String tag) {
    public static final String DEFAULT_TAG = "latest";
    public static final int MAX_PART_LENGTH = 80;

    public ModelName {
        family = validPart(family, "family", family + ":" + tag);
        tag = validPart(tag, "tag", family + ":" + tag);
    }

    /** Parses user input such as {@code qwen2.5:0.5b-instruct} or {@code phi3} (tag {@code latest}). */
    public static ModelName parse(String text) {
        if (text == null || text.isBlank()) {
            throw PaddockException.invalidInput("model name is empty; use family:tag, e.g. \"llama3.2:1b\"");
        }
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return new ModelName(checked(trimmed, trimmed, "family"), DEFAULT_TAG);
        }
        if (trimmed.indexOf(':', colon + 1) >= 0) {
            throw invalid(trimmed, "it has more than one ':'");
        }
        String family = trimmed.substring(0, colon);
        String tag = trimmed.substring(colon + 1);
        return new ModelName(checked(family, trimmed, "family"), checked(tag, trimmed, "tag"));
    }

    /** Whether {@code text} parses; for callers that choose between a name and a path. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (PaddockException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return family + ":" + tag;
    }

    private static String checked(String part, String whole, String what) {
        validPart(part, what, whole);
        return part;
    }

    private static String validPart(String part, String what, String whole) {
        if (part == null || part.isEmpty()) {
            throw invalid(whole, "the " + what + " is empty");
        }
        if (part.length() > MAX_PART_LENGTH) {
            throw invalid(whole, "the " + what + " is longer than " + MAX_PART_LENGTH + " characters");
        }
        String lower = part.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (i == 0 && !alnum) {
                throw invalid(whole, "the " + what + " must start with a letter or digit");
            }
            if (!alnum && c != '.' && c != '_' && c != '-') {
                throw invalid(whole, "it contains " + describe(c) + "; names use only letters, digits, '.', '_' and '-'");
            }
        }
        if (lower.contains("..")) {
            throw invalid(whole, "it contains \"..\"");
        }
        if (lower.endsWith(".")) {
            throw invalid(whole, "the " + what + " ends with '.'");
        }
        return lower;
    }

    private static String describe(char c) {
        if (c == '/' || c == '\\') {
            return "a path separator '" + c + "'";
        }
        if (Character.isISOControl(c) || Character.isWhitespace(c)) {
            return String.format("the character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static PaddockException invalid(String whole, String why) {
        return PaddockException.invalidInput(
                "invalid model name \"" + printable(whole) + "\": " + why + " (expected family:tag, e.g. \"llama3.2:1b\")");
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(200).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
