package dev.paddock.registry;

import java.util.List;
import java.util.Map;

/**
 * What Paddock knows of a model without running it: where it runs, its context window and maximum output,
 * its capabilities, its price (null: unknown, never free) and, for open-weight models, the usual file sizes.
 *
 * @param mode what the model is called for: chat, responses (OpenAI's Responses API only), completion,
 *     embedding, image_generation, audio_speech… (LiteLLM's names)
 * @param tier an editorial prior of general capability (frontier, strong, light, tiny), until quality is measured
 * @param tierBasis where the tier comes from: "editorial", or "list price" for a model no one has ranked
 * @param deprecated the day the provider retires it (ISO date), when announced
 */
public record RegistryEntry(String id, String provider, String kind, String family, String parameters, Long contextWindow,
        Long maxOutput, Price price, List<String> capabilities, Map<String, Double> quantizedSizesGb, String note, String tier,
        String tierBasis, String mode, String deprecated) {

    public RegistryEntry {
        capabilities = List.copyOf(capabilities);
        quantizedSizesGb = Map.copyOf(quantizedSizesGb);
        mode = mode == null ? "chat" : mode;
    }

    public boolean cloud() {
        return "cloud".equals(kind);
    }

    /** Whether Paddock's chat (the gateway, run, bench, auto) can use it. */
    public boolean chat() {
        return mode.equals("chat");
    }

    /** Whether the provider has retired it by that day (its announced deprecation date has passed). */
    public boolean retired(java.time.LocalDate today) {
        if (deprecated == null) {
            return false;
        }
        try {
            return java.time.LocalDate.parse(deprecated).isBefore(today);
        } catch (java.time.format.DateTimeParseException e) {
            return false; // a date LiteLLM wrote some other way: not known to be retired
        }
    }

    RegistryEntry withMode(String m) {
        return new RegistryEntry(id, provider, kind, family, parameters, contextWindow, maxOutput, price, capabilities,
                quantizedSizesGb, note, tier, tierBasis, m, deprecated);
    }

    RegistryEntry withTier(String tier, String basis) {
        return new RegistryEntry(id, provider, kind, family, parameters, contextWindow, maxOutput, price, capabilities,
                quantizedSizesGb, note, tier, basis, mode, deprecated);
    }
}
