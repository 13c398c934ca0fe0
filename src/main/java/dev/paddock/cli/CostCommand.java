package dev.paddock.cli;

import dev.paddock.cost.CostCalculator;
import dev.paddock.cost.CostEstimate;
import dev.paddock.cost.TokenCount;
import dev.paddock.registry.RegistryEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cost", description = {"What a usage costs per model: cloud models at their registry price,",
        "local ones at their hardware's amortisation; and the volume where local hardware breaks even."})
final class CostCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "MODEL", description = "Registry ids (openai/gpt-4o) or local models; default: every priced cloud model.")
    List<String> models = new ArrayList<>();

    @Option(names = "--input-tokens", paramLabel = "N", required = true, description = "Input tokens per period (5M, 500k…).")
    String input;

    @Option(names = "--output-tokens", paramLabel = "N", required = true, description = "Output tokens per period.")
    String output;

    @Option(names = "--cached-input-tokens", paramLabel = "N", defaultValue = "0", description = "Input tokens served from a prompt cache.")
    String cached;

    @Option(names = "--per", paramLabel = "PERIOD", defaultValue = "month", description = "The period the tokens are per: day or month.")
    String per;

    @Option(names = "--requests", paramLabel = "N", description = "Requests per period, for a cost per request.")
    Long requests;

    @Option(names = "--hardware-price", paramLabel = "USD", description = "Price of the machine running local models.")
    Double hardwarePrice;

    @Option(names = "--lifetime-months", paramLabel = "N", defaultValue = "36", description = "Months to spread the hardware over.")
    int lifetimeMonths;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        if (!per.equals("month") && !per.equals("day")) {
            throw dev.paddock.error.PaddockException.usage("--per must be day or month, not \"" + per + "\"");
        }
        int scale = per.equals("day") ? 30 : 1; // figures are shown per month
        CostCalculator.Usage usage = new CostCalculator.Usage(TokenCount.parse(input) * scale, TokenCount.parse(output) * scale,
                TokenCount.parse(cached) * scale, requests == null ? null : requests * scale);
        CostCalculator.Hardware hw = hardwarePrice == null ? null : new CostCalculator.Hardware(hardwarePrice, Math.max(1, lifetimeMonths));
        List<CostEstimate> rows = new ArrayList<>(root.paddock().costCalculator().estimate(models, usage, hw));
        rows.sort(Comparator.comparing(CostEstimate::perPeriod, Comparator.nullsLast(Comparator.naturalOrder())));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, rows);
            return 0;
        }
        Table t = new Table("MODEL", "PER MONTH", "PER REQUEST", "BREAK-EVEN (LOCAL)", "BASIS").right(1, 2, 3);
        for (CostEstimate c : rows) {
            RegistryEntry e = root.paddock().registry().find(c.model()).orElse(null);
            Long breakEven = e == null || !e.cloud() ? null : CostCalculator.breakEvenOutputTokens(e, usage, hw);
            t.row(c.model(), c.perPeriod() == null ? "unknown" : "$" + String.format(Locale.ROOT, "%,.2f", c.perPeriod()),
                    c.perRequest() == null ? null : "$" + String.format(Locale.ROOT, "%.5f", c.perRequest()),
                    breakEven == null ? null : Format.count(breakEven) + " out/month", c.basis());
        }
        t.print(out);
        return 0;
    }
}
