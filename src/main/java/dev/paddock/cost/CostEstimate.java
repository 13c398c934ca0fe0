package dev.paddock.cost;

/**
 * What a model would cost for a usage: per period and per request, in USD; null where the price is unknown.
 * {@code basis} says where the figure comes from (list price of which date, or why it is unknown).
 */
public record CostEstimate(String model, String provider, Double perPeriod, Double perRequest, String basis) {}
