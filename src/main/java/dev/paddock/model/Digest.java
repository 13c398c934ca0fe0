package dev.paddock.model;

import dev.paddock.error.PaddockException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A SHA-256 content digest, written {@code sha256:<64 hex>} in manifests and {@code sha256-<hex>} as a blob file name. */
public record Digest(String hex) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw PaddockException.invalidInput("invalid SHA-256 digest \"" + hex + "\": expected 64 lower-case hex digits");
        }
    }

    public static Digest ofBytes(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    /** Accepts {@code sha256:<hex>}, {@code sha256-<hex>} or bare hex, any case. */
    public static Digest parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("sha256:") || t.startsWith("sha256-")) {
            t = t.substring(7);
        }
        return new Digest(t);
    }

    public String blobFileName() {
        return "sha256-" + hex;
    }

    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
