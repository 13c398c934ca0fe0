package dev.paddock.recommend;

/**
 * A model that could serve a task, with what is known of it: an editorial tier (registry) or parameter
 * count (local), capabilities, the monthly cost for the usage (null: unknown), measured speed on this
 * machine (null: not measured), and for local models whether it fits.
 */
public record Candidate(String model, String provider, boolean local, String tier, Long parameterCount,
        java.util.List<String> capabilities, Long contextWindow, Double monthlyCost, String costBasis,
        Double measuredTokensPerSecond, Double measuredTtftMillis, Boolean fits, String fitVerdict, boolean available) {}
