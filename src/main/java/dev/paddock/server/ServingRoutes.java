package dev.paddock.server;

import dev.paddock.app.Paddock;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ProviderHealth;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Status of the active model, request analytics and the providers. */
final class ServingRoutes {
    private final Paddock paddock;
    private final ApiRoutes api;

    ServingRoutes(Paddock paddock, ApiRoutes api) {
        this.paddock = paddock;
        this.api = api;
    }

    void register() {
        api.get("/api/status", "serving", "The active model: state, uptime, memory, CPU and request figures (?since=24h)", ctx ->
                ctx.json(paddock.status().report(since(ctx, "since", "24h")))).returns(dev.paddock.serving.ServingStatus.Report.class);
        api.get("/api/analytics", "serving", "Per model over a range: requests, error rate, p50/p95 latency, tokens/s, tokens, cost;"
                + " and a time series (?from=24h|ISO-8601, ?to=ISO-8601, ?model=, ?buckets=24)", this::analytics)
                .returns(dev.paddock.serving.Analytics.Report.class);
        api.get("/api/providers", "serving", "Every provider and whether it answers now",
                ctx -> ctx.json(paddock.providers().all().stream().map(ProviderHealth::of).toList())).returns(ApiRoutes.listOf(ProviderHealth.class));
    }

    private void analytics(Context ctx) {
        Instant from = since(ctx, "from", "24h");
        Instant to = ctx.queryParam("to") == null ? paddock.clock().instant().plusMillis(1) : instant(ctx.queryParam("to"), "to");
        int buckets = ctx.queryParam("buckets") == null ? 24 : (int) Math.min(500, Math.max(1, RequestBody.wholeNumber(ctx.queryParam("buckets"))));
        ctx.json(paddock.analytics().report(from, to, ctx.queryParam("model"), buckets));
    }

    /** A window back from now ("24h", "30m", "7d") or an ISO-8601 instant. */
    private Instant since(Context ctx, String param, String dflt) {
        String v = ctx.queryParam(param) == null ? dflt : ctx.queryParam(param).strip();
        if (v.equals("-1")) {
            return Instant.EPOCH; // all of it
        }
        if (v.matches("\\d+[smhdw]?")) {
            return paddock.clock().instant().minusSeconds(dev.paddock.serving.TimeSpan.seconds(v, "\"" + param + "\""));
        }
        return instant(v, param);
    }

    private static Instant instant(String v, String param) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw PaddockException.invalidInput("\"" + param + "\" must be a span such as 24h or 7d, or an instant such as"
                    + " 2026-11-22T10:00:00Z, not \"" + v + "\"");
        }
    }
}
