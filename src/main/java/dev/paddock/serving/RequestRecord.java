package dev.paddock.serving;

import java.time.Instant;

/**
 * One request to a model, as recorded: who answered, how fast, how many tokens, how it ended, and what it cost
 * at the list price of the day (null: unknown, as for local models).
 */
public record RequestRecord(String id, String model, String provider, String source, Instant startedAt,
        Double ttftMillis, double durationMillis, Integer promptTokens, Integer completionTokens, String outcome,
        String error, Double costUsd) {

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
}
