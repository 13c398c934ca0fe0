package dev.paddock.cost;

import dev.paddock.registry.Price;
import dev.paddock.registry.Registry;
import dev.paddock.registry.RegistryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Cost arithmetic: cloud models at their registry price; local models at their measured energy (Wh per
 * 1,000 generated tokens from their latest benchmark, × the configured price per kWh) plus the hardware's
 * amortisation when one is given. What is not measured or not configured is reported as unknown, never
 * guessed. Also the break-even volume between the two.
 */
public final class CostCalculator {
    private final Registry registry;
    private final Function<String, Double> measuredWhPerThousandTokens;
    private final Double kwhPrice;

    public CostCalculator(Registry registry) {
        this(registry, model -> null, null);
    }

    /**
     * @param measuredWhPerThousandTokens a local model's measured energy, or null where none was measured
     * @param kwhPrice USD per kWh; null: not configured
     */
    public CostCalculator(Registry registry, Function<String, Double> measuredWhPerThousandTokens, Double kwhPrice) {
        this.registry = registry;
        this.measuredWhPerThousandTokens = measuredWhPerThousandTokens;
        this.kwhPrice = kwhPrice;
    }

    /** Usage over one period (a month, say): tokens, and optionally how many requests carry them. */
    public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, Long requests) {}

    /** Local hardware: its price and lifetime, spread evenly over the months. */
    public record Hardware(double price, int lifetimeMonths) {
        double perMonth() {
            return price / lifetimeMonths;
        }
    }

    public List<CostEstimate> estimate(List<String> models, Usage usage, Hardware hardware) {
        List<String> ids = models.isEmpty() ? registry.all().stream().filter(e -> e.cloud() && e.chat()).map(RegistryEntry::id).toList()
                : models;
        List<CostEstimate> out = new ArrayList<>();
        for (String id : ids) {
            RegistryEntry e = registry.find(id).orElse(null);
            if (e != null && e.cloud()) {
                out.add(cloud(e, usage));
            } else if (e == null && id.contains("/")) {
                out.add(new CostEstimate(id, id.substring(0, id.indexOf('/')), null, null, "price unknown (not in the registry)"));
            } else {
                out.add(local(id, usage, hardware));
            }
        }
        return out;
    }

    private static CostEstimate cloud(RegistryEntry e, Usage u) {
        Price p = e.price();
        if (p == null) {
            return new CostEstimate(e.id(), e.provider(), null, null, "price unknown" + (e.note() == null ? "" : ": " + e.note()));
        }
        double total = p.cost(u.inputTokens(), u.outputTokens(), u.cachedInputTokens());
        Double perRequest = u.requests() == null || u.requests() == 0 ? null : total / u.requests();
        return new CostEstimate(e.id(), e.provider(), total, perRequest, "list price of " + p.asOf() + " (" + p.source() + ")");
    }

    private CostEstimate local(String id, Usage u, Hardware hw) {
        Double wh = measuredWhPerThousandTokens.apply(id);
        Double energy = wh == null || kwhPrice == null ? null : u.outputTokens() / 1000.0 * wh / 1000.0 * kwhPrice;
        String energyWhy = wh == null ? "energy not measured (benchmark it where RAPL counters or nvidia-smi can be read)"
                : kwhPrice == null ? String.format(java.util.Locale.ROOT, "%.3f Wh per 1,000 tokens measured; set cost.kwh_price", wh)
                : String.format(java.util.Locale.ROOT, "energy %.3f Wh per 1,000 tokens × $%.3f/kWh", wh, kwhPrice);
        if (hw == null && energy == null) {
            return new CostEstimate(id, "local", null, null, "unknown: " + energyWhy
                    + "; give --hardware-price and --lifetime-months for amortisation");
        }
        double total = (hw == null ? 0 : hw.perMonth()) + (energy == null ? 0 : energy);
        Double perRequest = u.requests() == null || u.requests() == 0 ? null : total / u.requests();
        String basis = hw == null ? energyWhy + " (no hardware amortisation given)"
                : energy == null ? "hardware amortisation only (" + energyWhy + ")" : "hardware amortisation + " + energyWhy;
        return new CostEstimate(id, "local", total, perRequest, basis);
    }

    /**
     * Monthly output tokens (at the usage's input-to-output ratio) above which fixed local hardware is cheaper than
     * the cloud model; null when the cloud model has no price.
     */
    public static Long breakEvenOutputTokens(RegistryEntry cloud, Usage usage, Hardware hw) {
        if (cloud.price() == null || hw == null) {
            return null;
        }
        double ratio = usage.outputTokens() == 0 ? 0 : (double) usage.inputTokens() / usage.outputTokens();
        double perOutputToken = (cloud.price().outputPerMillion() + ratio * cloud.price().inputPerMillion()) / 1e6;
        return perOutputToken <= 0 ? null : Math.round(hw.perMonth() / perOutputToken);
    }
}
