package dev.paddock.store;

import dev.paddock.model.ModelName;
import java.nio.file.Path;
import java.util.Locale;

/** The name a file gets when imported or pulled without {@code --name}: its file name, made valid. */
public final class DefaultName {
    private DefaultName() {}

    /** {@code ./TinyLlama-1.1B-Chat.Q4_K_M.gguf} → {@code tinyllama-1.1b-chat.q4_k_m:latest}. */
    static ModelName forFile(Path file) {
        return fromFileName(file.getFileName().toString());
    }

    /** The same for a file name alone, e.g. the last segment of a URL. */
    public static ModelName fromFileName(String fileName) {
        String stem = fileName;
        if (stem.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            stem = stem.substring(0, stem.length() - 5);
        }
        StringBuilder s = new StringBuilder();
        for (char c : stem.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            s.append(ok ? c : '-');
        }
        String family = s.toString().replaceAll("\\.{2,}", ".").replaceAll("^[^a-z0-9]+", "").replaceAll("\\.+$", "");
        if (family.length() > ModelName.MAX_PART_LENGTH) {
            family = family.substring(0, ModelName.MAX_PART_LENGTH).replaceAll("\\.+$", "");
        }
        if (family.isEmpty()) {
            family = "model";
        }
        return new ModelName(family, ModelName.DEFAULT_TAG);
    }
}
