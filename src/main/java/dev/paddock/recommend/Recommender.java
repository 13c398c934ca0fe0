package dev.paddock.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Ranks candidates for a task under constraints. Score = capability (up to 60: the registry tier, or a
 * local model's size, plus task bonuses) + speed (up to 20: measured tokens/s on this machine, 10 when
 * unmeasured) + cost (up to 20: cheaper is better, local counts as cheapest). Measured data is preferred and
 * each row says what it rests on. Models that do not fit, break the budget or a measured speed limit are
 * excluded, with the reason. Ties break by name, so the order is deterministic.
 */
public final class Recommender {
    public record Constraints(Double budgetPerMonth, Double maxTtftMillis, Double minTokensPerSecond, boolean localOnly) {}

    public record Result(List<Recommendation> ranked, List<String> excluded) {}

    private Recommender() {}

    public static Result rank(Task task, List<Candidate> candidates, Constraints c) {
        List<Recommendation> ranked = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (Candidate m : candidates) {
            String why = exclusion(m, c);
            if (why != null) {
                excluded.add(m.model() + ": " + why);
                continue;
            }
            ranked.add(score(task, m));
        }
        // what can answer now first (installed, or behind a configured provider), then what would need a key or a pull
        ranked.sort(Comparator.comparing(Recommendation::available).reversed().thenComparing(Comparator.comparingInt(Recommendation::score).reversed())
                .thenComparing(Recommendation::model));
        return new Result(ranked, excluded);
    }

    private static String exclusion(Candidate m, Constraints c) {
        if (c.localOnly() && !m.local()) {
            return "not local (--local-only)";
        }
        if (Boolean.FALSE.equals(m.fits())) {
            return "does not fit this machine (" + m.fitVerdict() + ")";
        }
        if (c.budgetPerMonth() != null && m.monthlyCost() != null && m.monthlyCost() > c.budgetPerMonth()) {
            return String.format(Locale.ROOT, "costs $%.2f a month, over the $%.2f budget", m.monthlyCost(), c.budgetPerMonth());
        }
        if (c.budgetPerMonth() != null && m.monthlyCost() == null && !m.local()) {
            return "price unknown, so the budget cannot be checked";
        }
        if (c.minTokensPerSecond() != null && m.measuredTokensPerSecond() != null
                && m.measuredTokensPerSecond() < c.minTokensPerSecond()) {
            return String.format(Locale.ROOT, "measured %.1f tokens/s, below %.1f", m.measuredTokensPerSecond(), c.minTokensPerSecond());
        }
        if (c.maxTtftMillis() != null && m.measuredTtftMillis() != null && m.measuredTtftMillis() > c.maxTtftMillis()) {
            return String.format(Locale.ROOT, "measured time to first token %.0f ms, above %.0f", m.measuredTtftMillis(), c.maxTtftMillis());
        }
        return null;
    }

    static Recommendation score(Task task, Candidate m) {
        List<String> reasons = new ArrayList<>();
        List<String> trade = new ArrayList<>();
        int capability = capability(m, reasons);
        capability += taskBonus(task, m, reasons);
        capability = Math.min(60, capability);
        int speed;
        if (m.measuredTokensPerSecond() != null) {
            speed = (int) Math.min(20, Math.round(m.measuredTokensPerSecond() / 2.5)); // 50 tokens/s and up: full marks
            reasons.add(String.format(Locale.ROOT, "measured %.1f tokens/s here", m.measuredTokensPerSecond()));
        } else {
            speed = 10;
            trade.add("speed on this machine not measured yet");
        }
        int cost;
        if (m.local()) {
            cost = 20;
            reasons.add("runs locally: no per-token cost, data stays here");
        } else if (m.monthlyCost() == null) {
            cost = 5;
            trade.add("price unknown");
        } else {
            cost = (int) Math.max(0, Math.round(20 - 4 * Math.log10(1 + m.monthlyCost())));
            reasons.add(String.format(Locale.ROOT, "about $%.2f a month for this usage", m.monthlyCost()));
        }
        if (!m.available()) {
            trade.add(m.local() ? "not installed: pull it first" : "needs an API key (no " + m.provider() + " provider is configured)");
        }
        String basis = m.measuredTokensPerSecond() != null ? "measured speed, registry capability" : "registry data only";
        return new Recommendation(m.model(), m.provider(), capability + speed + cost, reasons, trade, m.monthlyCost(),
                m.fitVerdict(), basis, m.available());
    }

    private static int capability(Candidate m, List<String> reasons) {
        if (m.tier() != null) {
            int v = switch (m.tier()) {
                case "frontier" -> 55;
                case "strong" -> 45;
                case "light" -> 32;
                default -> 20;
            };
            reasons.add(m.tier() + " tier");
            return v;
        }
        long p = m.parameterCount() == null ? 0 : m.parameterCount();
        int v = p >= 30_000_000_000L ? 45 : p >= 7_000_000_000L ? 32 : p >= 1_000_000_000L ? 20 : 5;
        reasons.add(p <= 0 ? "parameters unknown" : parameters(p) + " parameters");
        return v;
    }

    /** 854000 → "854K", 7241732096 → "7.2B". */
    static String parameters(long n) {
        String[] units = {"", "K", "M", "B", "T"};
        double v = n;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? Long.toString(n) : String.format(Locale.ROOT, v >= 100 ? "%.0f%s" : "%.1f%s", v, units[u]);
    }

    private static int taskBonus(Task task, Candidate m, List<String> reasons) {
        List<String> caps = m.capabilities();
        String name = m.model().toLowerCase(Locale.ROOT);
        return switch (task) {
            case REASONING -> bonus(caps.contains("reasoning"), 5, "reasoning model", reasons);
            case CODE -> bonus(name.contains("cod") || name.contains("coder"), 5, "code model", reasons);
            case EXTRACTION -> bonus(caps.contains("json"), 5, "JSON mode", reasons);
            case SUMMARIZATION -> bonus(m.contextWindow() != null && m.contextWindow() >= 128_000, 5, "long context", reasons);
            case CHAT -> 0;
        };
    }

    private static int bonus(boolean applies, int points, String reason, List<String> reasons) {
        if (applies) {
            reasons.add(reason);
            return points;
        }
        return 0;
    }
}
