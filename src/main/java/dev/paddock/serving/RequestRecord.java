package dev.paddock.serving;

import java.time.Instant;

/** One request to a model, as recorded: who answered, how fast, how many tokens, how it ended. */
public record RequestRecord(String id, String model, String provider, String source, Instant startedAt,
        Double ttftMillis, double durationMillis, Integer promptTokens, Integer completionTokens, String outcome,
        String error) {

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
}
