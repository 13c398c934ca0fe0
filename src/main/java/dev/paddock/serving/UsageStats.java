package dev.paddock.serving;

import java.util.List;

/** Figures over a set of requests: counts, error rate, mean latency and generation speed. */
public record UsageStats(int requests, int errors, Double meanTtftMillis, Double meanDurationMillis,
        Double meanTokensPerSecond, long promptTokens, long completionTokens) {

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    public static UsageStats of(List<RequestRecord> records) {
        int errors = 0;
        double ttft = 0;
        int ttftN = 0;
        double duration = 0;
        double tps = 0;
        int tpsN = 0;
        long prompt = 0;
        long completion = 0;
        for (RequestRecord r : records) {
            if (!RequestRecord.OK.equals(r.outcome())) {
                errors++;
                continue;
            }
            duration += r.durationMillis();
            if (r.ttftMillis() != null) {
                ttft += r.ttftMillis();
                ttftN++;
            }
            if (r.completionTokens() != null && r.ttftMillis() != null && r.completionTokens() > 1
                    && r.durationMillis() > r.ttftMillis()) {
                tps += (r.completionTokens() - 1) * 1000.0 / (r.durationMillis() - r.ttftMillis());
                tpsN++;
            }
            prompt += r.promptTokens() == null ? 0 : r.promptTokens();
            completion += r.completionTokens() == null ? 0 : r.completionTokens();
        }
        int ok = records.size() - errors;
        return new UsageStats(records.size(), errors, ttftN == 0 ? null : ttft / ttftN, ok == 0 ? null : duration / ok,
                tpsN == 0 ? null : tps / tpsN, prompt, completion);
    }
}
