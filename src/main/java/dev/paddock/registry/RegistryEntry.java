package dev.paddock.registry;

import java.util.List;
import java.util.Map;

/**
 * What Paddock knows of a model without running it: where it runs, its context window and maximum output,
 * its capabilities, its price (null: unknown, never free) and, for open-weight models, the usual file sizes.
 */
public record RegistryEntry(String id, String provider, String kind, String family, String parameters, Long contextWindow,
        Long maxOutput, Price price, List<String> capabilities, Map<String, Double> quantizedSizesGb, String note, String tier) {

    public RegistryEntry {
        capabilities = List.copyOf(capabilities);
        quantizedSizesGb = Map.copyOf(quantizedSizesGb);
    }

    public boolean cloud() {
        return "cloud".equals(kind);
    }
}
