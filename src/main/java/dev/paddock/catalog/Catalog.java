package dev.paddock.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.PaddockException;
import dev.paddock.model.ModelName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What can be pulled by name: the bundled {@code catalog.json}, then the files named in the setting
 * {@code catalog.files} (later entries replace earlier ones of the same name). The format is documented
 * in the README; a broken file is reported with its name and the entry at fault.
 */
public final class Catalog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CatalogEntry> entries;

    private Catalog(Map<String, CatalogEntry> entries) {
        this.entries = entries;
    }

    public static Catalog load(List<Path> extraFiles) {
        Map<String, CatalogEntry> all = new LinkedHashMap<>();
        try (InputStream in = Catalog.class.getResourceAsStream("/catalog.json")) {
            parse(JSON.readTree(in), "the bundled catalog").forEach(e -> all.put(e.name(), e));
        } catch (IOException e) {
            throw new IllegalStateException("the bundled catalog is unreadable", e);
        }
        for (Path f : extraFiles) {
            try {
                parse(JSON.readTree(Files.readAllBytes(f)), f.toString()).forEach(e -> all.put(e.name(), e));
            } catch (IOException e) {
                throw PaddockException.invalidInput("cannot read the catalog " + f + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        return new Catalog(all);
    }

    public static Catalog of(List<CatalogEntry> entries) {
        Map<String, CatalogEntry> all = new LinkedHashMap<>();
        entries.forEach(e -> all.put(e.name(), e));
        return new Catalog(all);
    }

    static List<CatalogEntry> parse(JsonNode root, String where) {
        JsonNode models = root.path("models");
        if (!models.isArray()) {
            throw PaddockException.invalidInput("catalog " + where + " has no \"models\" array");
        }
        List<CatalogEntry> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : models) {
            String at = "catalog " + where + ", model " + i + (m.has("name") ? " (" + m.get("name").asText() + ")" : "");
            String name = required(m, "name", at);
            if (!ModelName.isValid(name)) {
                throw PaddockException.invalidInput(at + ": \"" + name + "\" is not a valid model name (family:tag)");
            }
            String url = required(m, "url", at);
            if (!url.startsWith("https://") && !url.startsWith("http://") && !url.startsWith("hf://")) {
                throw PaddockException.invalidInput(at + ": url must start with https://, http:// or hf://");
            }
            String sha = m.hasNonNull("sha256") ? m.get("sha256").asText().toLowerCase(Locale.ROOT) : null;
            if (sha != null && !sha.matches("[0-9a-f]{64}")) {
                throw PaddockException.invalidInput(at + ": sha256 must be 64 hex digits");
            }
            Long size = m.hasNonNull("size_bytes") ? m.get("size_bytes").asLong() : null;
            if (size != null && size <= 0) {
                throw PaddockException.invalidInput(at + ": size_bytes must be positive");
            }
            out.add(new CatalogEntry(ModelName.parse(name).toString(), text(m, "family"), text(m, "parameters"),
                    text(m, "quantization"), size, sha, url, text(m, "source"), text(m, "license"), text(m, "checked"),
                    text(m, "description")));
            i++;
        }
        return out;
    }

    private static String required(JsonNode m, String field, String at) {
        if (!m.hasNonNull(field) || m.get(field).asText().isBlank()) {
            throw PaddockException.invalidInput(at + ": \"" + field + "\" is missing");
        }
        return m.get(field).asText();
    }

    private static String text(JsonNode m, String field) {
        return m.hasNonNull(field) ? m.get(field).asText() : null;
    }

    public Optional<CatalogEntry> find(String name) {
        if (!ModelName.isValid(name)) {
            return Optional.empty();
        }
        return Optional.ofNullable(entries.get(ModelName.parse(name).toString()));
    }

    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** Entries whose name, family or description contains the term (all when it is blank). */
    public List<CatalogEntry> search(String term) {
        String t = term == null ? "" : term.toLowerCase(Locale.ROOT);
        return entries.values().stream().filter(e -> t.isBlank() || e.name().contains(t)
                || (e.family() != null && e.family().toLowerCase(Locale.ROOT).contains(t))
                || (e.description() != null && e.description().toLowerCase(Locale.ROOT).contains(t))).toList();
    }
}
