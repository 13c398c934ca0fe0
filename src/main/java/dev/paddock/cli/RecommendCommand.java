package dev.paddock.cli;

import dev.paddock.cost.CostCalculator;
import dev.paddock.cost.TokenCount;
import dev.paddock.recommend.Recommendation;
import dev.paddock.recommend.Recommender;
import dev.paddock.recommend.Task;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "recommend", description = {"Models ranked for a task under your constraints: score 0-100, reasons, trade-offs, cost, fit.",
        "Installed models are checked against this machine; what a row rests on (measured or registry data) is stated."})
final class RecommendCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "code, reasoning, chat, extraction or summarization.")
    String task;

    @Option(names = "--budget", paramLabel = "USD", description = "Most to spend a month, e.g. 50 or 50/month.")
    String budget;

    @Option(names = "--max-ttft", paramLabel = "MS", description = "Longest acceptable time to first token (measured models).")
    Double maxTtft;

    @Option(names = "--min-tps", paramLabel = "N", description = "Least acceptable generation speed, tokens/s (measured models).")
    Double minTps;

    @Option(names = "--input-tokens", paramLabel = "N", defaultValue = "1M", description = "Monthly input tokens, for cost (default 1M).")
    String input;

    @Option(names = "--output-tokens", paramLabel = "N", defaultValue = "250k", description = "Monthly output tokens (default 250k).")
    String output;

    @ArgGroup(exclusive = true)
    Where where;

    static final class Where {
        @Option(names = "--local-only", description = "Only models that run on this machine.")
        boolean localOnly;

        @Option(names = "--cloud-ok", description = "Cloud models too (the default).")
        boolean cloudOk;
    }

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "How many to show (default 10).")
    int limit;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Double budgetUsd = budget == null ? null : parseBudget(budget);
        var usage = new CostCalculator.Usage(TokenCount.parse(input), TokenCount.parse(output), 0, null);
        var constraints = new Recommender.Constraints(budgetUsd, maxTtft, minTps, where != null && where.localOnly);
        Recommender.Result r = Recommender.rank(FlagValue.parse(() -> Task.parse(task)), root.paddock().candidates().gather(usage), constraints);
        List<Recommendation> top = r.ranked().stream().limit(Math.max(1, limit)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("task", FlagValue.parse(() -> Task.parse(task)).wire());
            doc.put("ranked", top);
            doc.put("excluded", r.excluded());
            Json.print(out, doc);
            return 0;
        }
        Table t = new Table("#", "MODEL", "SCORE", "COST/MONTH", "WHY", "TRADE-OFFS").right(0, 2, 3);
        int i = 1;
        for (Recommendation rec : top) {
            t.row(i++, rec.model(), rec.score(), rec.monthlyCost() == null ? (rec.provider().equals("local") ? "local" : "unknown")
                    : String.format(Locale.ROOT, "$%.2f", rec.monthlyCost()), String.join("; ", rec.reasons()),
                    String.join("; ", rec.tradeOffs()));
        }
        t.print(out);
        if (!r.excluded().isEmpty()) {
            out.println();
            out.println("excluded:");
            r.excluded().forEach(x -> out.println("  " + x));
        }
        out.println();
        out.println("scores rest on registry data (tier, price) until Paddock has measured quality; measured speed is used where it exists");
        return 0;
    }

    private static double parseBudget(String b) {
        try {
            return Double.parseDouble(b.strip().replace("$", "").replaceAll("(?i)/(month|mo)$", ""));
        } catch (NumberFormatException e) {
            throw dev.paddock.error.PaddockException.usage("invalid budget \"" + b + "\"; use an amount of USD a month, e.g. 50 or 50/month");
        }
    }
}
