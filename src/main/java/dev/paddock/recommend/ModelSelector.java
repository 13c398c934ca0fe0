package dev.paddock.recommend;

import dev.paddock.cost.CostCalculator;
import java.util.List;
import java.util.Locale;

/**
 * Automatic model choice: {@code auto} or {@code auto:<task>} becomes the ranked models that can answer now
 * (installed and fitting, or behind a configured provider), best first; callers fall back down the list.
 */
public final class ModelSelector {
    /** The usage the cost part of the ranking assumes: 1M input and 250k output tokens a month. */
    static final CostCalculator.Usage TYPICAL = new CostCalculator.Usage(1_000_000, 250_000, 0, null);

    private final Candidates candidates;
    private final Recommender.Constraints constraints;

    public ModelSelector(Candidates candidates, Recommender.Constraints constraints) {
        this.candidates = candidates;
        this.constraints = constraints;
    }

    public static boolean isAuto(String model) {
        String m = model.strip().toLowerCase(Locale.ROOT);
        return m.equals("auto") || m.startsWith("auto:");
    }

    /** The models to try for {@code auto[:task]}, best first. */
    public List<String> choose(String auto) {
        return choose(auto, java.util.Set.of());
    }

    /**
     * The models to try for {@code auto[:task]} that have every capability a request needs ({@code tools}, {@code json},
     * {@code vision}, as the registry or, for local models, the file and engine say), best first.
     */
    public List<String> choose(String auto, java.util.Set<String> needs) {
        String m = auto.strip().toLowerCase(Locale.ROOT);
        Task task = m.startsWith("auto:") ? Task.parse(m.substring(5)) : Task.CHAT;
        List<Candidate> available = candidates.gather(TYPICAL).stream().filter(Candidate::available)
                .filter(c -> c.capabilities().containsAll(needs)).toList();
        return Recommender.rank(task, available, constraints).ranked().stream().map(Recommendation::model).toList();
    }
}
