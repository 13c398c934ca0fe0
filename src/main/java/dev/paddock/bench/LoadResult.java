package dev.paddock.bench;

/**
 * Many requests in flight: at a concurrency level (a request starts as another ends) or at a request rate
 * (Poisson arrivals, as vLLM's --request-rate): request throughput, aggregate output tokens/s, end-to-end
 * latency percentiles, median TTFT, errors (a timed-out request counts as an error, with its time).
 */
public record LoadResult(int concurrency, Double requestRate, int requests, int errors, double wallMillis,
        double requestsPerSecond, double outputTokensPerSecond, Double latencyP50, Double latencyP90, Double latencyP99,
        Double ttftP50) {}
