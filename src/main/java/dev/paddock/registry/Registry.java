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
 * Model facts and prices, in layers, a later one replacing an earlier one's entries of the same id: the price
 * file in LiteLLM's format ({@link PriceFile}: the bundled snapshot, or what {@code registry update} fetched),
 * then Paddock's editorial {@code registry.json} (its tiers, families and notes go onto the price file's
 * entries; its own entries cover models the price file lacks and open-weight models), then the files of
 * {@code registry.files} in either format (a user's negotiated price, a new model), which win.
 */
public final class Registry {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, RegistryEntry> entries;
    private final PriceFile prices;

    private Registry(Map<String, RegistryEntry> entries, PriceFile prices) {
        this.entries = entries;
        this.prices = prices;
    }

    /** The bundled layers only: the tests' and a home-less caller's registry. */
    public static Registry load(List<Path> extraFiles) {
        return load(PriceFile.snapshot(), extraFiles);
    }

    public static Registry load(PriceFile prices, List<Path> extraFiles) {
        Map<String, RegistryEntry> all = new LinkedHashMap<>();
        prices.entries().forEach(e -> all.put(e.id(), e));
        List<Map.Entry<java.util.regex.Pattern, String>> tiers = new ArrayList<>();
        List<java.util.regex.Pattern> special = new ArrayList<>();
        try (InputStream in = Registry.class.getResourceAsStream("/registry.json")) {
            JsonNode editorial = JSON.readTree(in);
            for (RegistryEntry e : parse(editorial, "the bundled registry")) {
                RegistryEntry priced = all.get(e.id());
                all.put(e.id(), priced == null ? e : withEditorial(priced, e));
            }
            editorial.path("tiers").forEach(t -> tiers.add(Map.entry(glob(t.path("match").asText()), t.path("tier").asText())));
            editorial.path("special_purpose").forEach(g -> special.add(glob(g.asText())));
        } catch (IOException e) {
            throw new IllegalStateException("the bundled registry is unreadable", e);
        }
        all.replaceAll((id, e) -> {
            if (!e.cloud()) {
                return e;
            }
            RegistryEntry out = e;
            if (out.chat() && special.stream().anyMatch(p -> p.matcher(id).matches())) {
                out = out.withMode("special");
            }
            if (out.tier() == null) {
                String t = tiers.stream().filter(p -> p.getKey().matcher(id).matches()).map(Map.Entry::getValue).findFirst().orElse(null);
                if (t != null) {
                    out = out.withTier(t, "editorial");
                }
            }
            return out;
        });
        for (Path f : extraFiles) {
            try {
                JsonNode root = JSON.readTree(Files.readAllBytes(f));
                List<RegistryEntry> mine = LiteLlmFormat.looksLike(root)
                        ? LiteLlmFormat.parse(root, Files.getLastModifiedTime(f).toInstant().toString().substring(0, 10), f.toString())
                        : parse(root, f.toString());
                mine.forEach(e -> all.put(e.id(), e));
            } catch (IOException e) {
                throw PaddockException.invalidInput("cannot read the registry " + f + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        all.replaceAll((id, e) -> e.tier() == null && e.cloud() && e.price() != null ? e.withTier(tierFromPrice(e.price()), "list price") : e);
        return new Registry(all, prices);
    }

    /** A {@code *} pattern over a whole id. */
    private static java.util.regex.Pattern glob(String g) {
        return java.util.regex.Pattern.compile(java.util.Arrays.stream(g.split("\\*", -1)).map(java.util.regex.Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*")), java.util.regex.Pattern.CASE_INSENSITIVE);
    }

    /** The price file's facts, with the editorial layer's tier, family and note, and the capabilities of both. */
    private static RegistryEntry withEditorial(RegistryEntry priced, RegistryEntry editorial) {
        List<String> caps = new ArrayList<>(priced.capabilities());
        editorial.capabilities().stream().filter(c -> !caps.contains(c)).forEach(caps::add);
        return new RegistryEntry(priced.id(), priced.provider(), priced.kind(), editorial.family(), editorial.parameters(),
                priced.contextWindow() != null ? priced.contextWindow() : editorial.contextWindow(),
                priced.maxOutput() != null ? priced.maxOutput() : editorial.maxOutput(),
                priced.price() != null ? priced.price() : editorial.price(), caps, editorial.quantizedSizesGb(),
                priced.note() != null ? priced.note() : editorial.note(), editorial.tier(), editorial.tierBasis(), priced.mode(),
                priced.deprecated());
    }

    /**
     * A prior for a model no one has ranked: its blended list price (3 input : 1 output tokens, the usual
     * mix), as providers price their flagship, mid and small models apart. Replaced by measured quality.
     */
    static String tierFromPrice(Price p) {
        double blended = (3 * p.inputPerMillion() + p.outputPerMillion()) / 4;
        return blended >= 3 ? "frontier" : blended >= 0.8 ? "strong" : blended >= 0.2 ? "light" : "tiny";
    }

    /** The price file under the registry: its source, date and size. */
    public PriceFile prices() {
        return prices;
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
                    text(m, "tier"), m.hasNonNull("tier") ? "editorial" : null, text(m, "mode"), text(m, "deprecation_date")));
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
