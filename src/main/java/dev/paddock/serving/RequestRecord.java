package dev.paddock.serving;

import java.time.Instant;

/**
 * One request to a model, as recorded: who answered, how fast, how many tokens, how it ended, what it cost
 * at the list price of the day (null: unknown, as for local models), the tool calls its answer made, and whether it
 * asked for structured output (a JSON schema or object).
 */
public record RequestRecord(String id, String model, String provider, String source, Instant startedAt,
        Double ttftMillis, double durationMillis, Integer promptTokens, Integer completionTokens, String outcome,
        String error, Double costUsd, int toolCalls, boolean structured) {

    public RequestRecord(String id, String model, String provider, String source, Instant startedAt, Double ttftMillis,
            double durationMillis, Integer promptTokens, Integer completionTokens, String outcome, String error, Double costUsd) {
        this(id, model, provider, source, startedAt, ttftMillis, durationMillis, promptTokens, completionTokens, outcome, error,
                costUsd, 0, false);
    }

    /** The longest model, provider or source name kept; longer ones are cut (a client can send anything). */
    public static final int MAX_NAME_CHARS = 200;
    /** The longest error message kept. */
    public static final int MAX_ERROR_CHARS = 500;

    public RequestRecord {
        model = cut(model, MAX_NAME_CHARS);
        provider = cut(provider, MAX_NAME_CHARS);
        source = cut(source, MAX_NAME_CHARS);
        error = cut(error, MAX_ERROR_CHARS);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
}
