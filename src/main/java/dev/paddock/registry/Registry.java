package dev.paddock.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.PaddockException;
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
 * Model facts and prices: the bundled {@code registry.json}, then the files of {@code registry.files},
 * whose entries replace bundled ones with the same id (a user's negotiated price, a new model).
 */
public final class Registry {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, RegistryEntry> entries;

    private Registry(Map<String, RegistryEntry> entries) {
        this.entries = entries;
    }

    public static Registry load(List<Path> extraFiles) {
        Map<String, RegistryEntry> all = new LinkedHashMap<>();
        try (InputStream in = Registry.class.getResourceAsStream("/registry.json")) {
            parse(JSON.readTree(in), "the bundled registry").forEach(e -> all.put(e.id(), e));
        } catch (IOException e) {
            throw new IllegalStateException("the bundled registry is unreadable", e);
        }
        for (Path f : extraFiles) {
            try {
                parse(JSON.readTree(Files.readAllBytes(f)), f.toString()).forEach(e -> all.put(e.id(), e));
            } catch (IOException e) {
                throw PaddockException.invalidInput("cannot read the registry " + f + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        return new Registry(all);
    }

    static List<RegistryEntry> parse(JsonNode root, String where) {
        if (!root.path("models").isArray()) {
            throw PaddockException.invalidInput("registry " + where + " has no \"models\" array");
        }
        List<RegistryEntry> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : root.path("models")) {
            String at = "registry " + where + ", model " + i++;
            String id = m.path("id").asText("");
            if (id.isBlank()) {
                throw PaddockException.invalidInput(at + ": \"id\" is missing");
            }
            Price price = null;
            JsonNode p = m.path("price");
            if (p.isObject()) {
                if (!p.path("input").isNumber() || !p.path("output").isNumber() || p.path("input").asDouble() < 0
                        || p.path("output").asDouble() < 0) {
                    throw PaddockException.invalidInput(at + " (" + id + "): price needs non-negative \"input\" and \"output\" (USD per 1M tokens)");
                }
                price = new Price(p.get("input").asDouble(), p.get("output").asDouble(),
                        p.path("cached_input").isNumber() ? p.get("cached_input").asDouble() : null, text(p, "as_of"),
                        text(p, "source"), text(p, "note"));
            }
            List<String> caps = new ArrayList<>();
            m.path("capabilities").forEach(c -> caps.add(c.asText().toLowerCase(Locale.ROOT)));
            Map<String, Double> sizes = new LinkedHashMap<>();
            m.path("quantized_sizes_gb").fields().forEachRemaining(e -> sizes.put(e.getKey(), e.getValue().asDouble()));
            out.add(new RegistryEntry(id, text(m, "provider"), m.path("kind").asText("cloud"), text(m, "family"),
                    text(m, "parameters"), m.path("context_window").isNumber() ? m.get("context_window").asLong() : null,
                    m.path("max_output").isNumber() ? m.get("max_output").asLong() : null, price, caps, sizes, text(m, "note"),
                    text(m, "tier")));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    public List<RegistryEntry> all() {
        return List.copyOf(entries.values());
    }

    /** By id ("openai/gpt-4o"), or by a provider's model name when only one provider has it ("gpt-4o"). */
    public Optional<RegistryEntry> find(String id) {
        RegistryEntry exact = entries.get(id);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<RegistryEntry> bySuffix = entries.values().stream().filter(e -> e.id().endsWith("/" + id)).toList();
        return bySuffix.size() == 1 ? Optional.of(bySuffix.getFirst()) : Optional.empty();
    }

    public List<RegistryEntry> filter(String provider, String capability) {
        return entries.values().stream()
                .filter(e -> provider == null || provider.equalsIgnoreCase(e.provider()))
                .filter(e -> capability == null || e.capabilities().contains(capability.toLowerCase(Locale.ROOT)))
                .toList();
    }
}
