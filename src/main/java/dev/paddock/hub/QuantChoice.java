package dev.paddock.hub;

import dev.paddock.hardware.FitPlan;
import java.util.List;

/**
 * One quantisation of a repository: its file, or the parts of a split GGUF ({@code -00001-of-00003.gguf}),
 * their total size, and whether it fits this machine.
 *
 * @param fit the estimate for this file at the chosen context; null when the header could not be read
 * @param best the largest quantisation (the most bits per weight) that fits, with room for the context
 * @param projector the repository's multimodal projector (mmproj) that goes with this file, which a pull fetches
 *     with it so the model takes images; null when the repository has none
 */
public record QuantChoice(String quant, List<HubClient.File> parts, long size, FitPlan fit, boolean best, HubClient.File projector) {
    public QuantChoice {
        parts = List.copyOf(parts);
    }

    public boolean split() {
        return parts.size() > 1;
    }

    /** The SHA-256 of a single-file choice (from the Hub's LFS metadata); null for splits or when unknown. */
    public String sha256() {
        return split() ? null : parts.getFirst().sha256();
    }

    QuantChoice withFit(FitPlan fit, boolean best) {
        return new QuantChoice(quant, parts, size, fit, best, projector);
    }
}
