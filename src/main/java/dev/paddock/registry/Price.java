package dev.paddock.registry;

/** A list price in USD per million tokens, with when it was taken and where from. */
public record Price(double inputPerMillion, double outputPerMillion, Double cachedInputPerMillion, String asOf, String source,
        String note) {

    /** Dollars for these token counts (cached input at its own price where there is one). */
    public double cost(long inputTokens, long outputTokens, long cachedInputTokens) {
        double cached = cachedInputPerMillion != null ? cachedInputPerMillion : inputPerMillion;
        return (inputTokens * inputPerMillion + outputTokens * outputPerMillion + cachedInputTokens * cached) / 1e6;
    }
}
