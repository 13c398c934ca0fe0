package dev.paddock.cli;

import dev.paddock.registry.RegistryEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "registry", description = "Model facts and prices: context window, maximum output, capabilities, USD per 1M tokens.",
        subcommands = RegistryCommand.Update.class)
final class RegistryCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--provider", paramLabel = "P", description = "Only this provider's models (openai, anthropic, local…).")
    String provider;

    @Option(names = "--capability", paramLabel = "C", description = "Only models with it: vision, tools, json, reasoning.")
    String capability;

    @Option(names = "--mode", paramLabel = "M", defaultValue = "chat",
            description = "Only models called for this: chat (default), responses, embedding, completion, image_generation…, or all.")
    String mode;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        var registry = root.paddock().registry();
        requireKnown("provider", provider, registry.all().stream().map(RegistryEntry::provider).toList());
        requireKnown("capability", capability, registry.all().stream().flatMap(e -> e.capabilities().stream()).toList());
        boolean anyMode = mode.equalsIgnoreCase("all");
        var modes = new java.util.TreeSet<>(registry.all().stream().map(RegistryEntry::mode).toList());
        if (!anyMode && !modes.contains(mode.strip().toLowerCase(Locale.ROOT))) {
            throw dev.paddock.error.PaddockException.usage("--mode must be all or one of " + String.join(", ", modes) + ", not \"" + mode + "\"");
        }
        List<RegistryEntry> entries = registry.filter(provider, capability).stream()
                .filter(e -> anyMode || e.mode().equalsIgnoreCase(mode.strip()) || !e.cloud() && mode.equalsIgnoreCase("chat"))
                .toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, entries);
            return 0;
        }
        Table t = new Table("MODEL", "CONTEXT", "MAX OUT", "INPUT $/1M", "OUTPUT $/1M", "CACHED $/1M", "CAPABILITIES", "PRICE AS OF")
                .right(1, 2, 3, 4, 5);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        for (RegistryEntry e : entries) {
            boolean priced = e.price() != null;
            t.row(e.retired(today) ? e.id() + " (retired " + e.deprecated() + ")" : e.id(), Format.tokens(e.contextWindow()), Format.tokens(e.maxOutput()),
                    priced ? money(e.price().inputPerMillion()) : e.cloud() ? "unknown" : "local",
                    priced ? money(e.price().outputPerMillion()) : e.cloud() ? "unknown" : "local",
                    priced && e.price().cachedInputPerMillion() != null ? money(e.price().cachedInputPerMillion()) : null,
                    String.join(" ", e.capabilities()), priced ? e.price().asOf() : null);
        }
        t.print(out);
        var prices = registry.prices();
        root.err().println("prices as of " + prices.asOf() + (prices.bundled() ? " (the bundled snapshot of LiteLLM's price file; "
                + "\"paddock registry update\" fetches the current one)" : " from " + prices.source()));
        return 0;
    }

    @Command(name = "update", description = "Fetch current prices and limits in LiteLLM's format (default: LiteLLM's own file, "
            + "setting registry.url) or read them from FILE; the old ones stay unless the new file is sound.")
    static final class Update implements Callable<Integer> {
        @ParentCommand RegistryCommand parent;
        @Spec CommandSpec spec;

        @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "URL|FILE", description = "Where to read the prices from.")
        String source;

        @Option(names = "--json", description = "Print JSON for scripts: every added, removed and repriced model.")
        boolean json;

        @Override
        public Integer call() {
            var r = parent.root.paddock().updateRegistry(source);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, r);
                return 0;
            }
            out.printf(Locale.ROOT, "prices of %,d models as of %s from %s%n", r.models(), r.asOf(), r.source());
            out.printf(Locale.ROOT, "  in place of %s (as of %s): %,d new, %,d repriced, %,d gone; %,d without a price (shown as unknown)%n",
                    r.previousSource(), r.previousAsOf(), r.added().size(), r.repriced().size(), r.removed().size(), r.unpriced());
            for (var p : r.repriced().stream().limit(15).toList()) {
                out.printf(Locale.ROOT, "  %-44s %s → %s%n", p.id(), priceText(p.before()), priceText(p.after()));
            }
            if (r.repriced().size() > 15) {
                out.printf(Locale.ROOT, "  … and %,d more (--json lists them all)%n", r.repriced().size() - 15);
            }
            return 0;
        }

        private static String priceText(dev.paddock.registry.Price p) {
            return p == null ? "unknown" : "$" + money(p.inputPerMillion()) + " in / $" + money(p.outputPerMillion()) + " out";
        }
    }

    /** A filter value no entry has is a typo, not an empty answer. */
    private static void requireKnown(String what, String value, List<String> known) {
        if (value == null) {
            return;
        }
        java.util.Set<String> names = new java.util.TreeSet<>(known.stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).toList());
        if (!names.contains(value.strip().toLowerCase(java.util.Locale.ROOT))) {
            throw dev.paddock.error.PaddockException.notFound("no " + what + " \"" + value + "\" in the registry"
                    + dev.paddock.model.Suggestion.closest(value, names).map(s -> "; did you mean \"" + s + "\"?")
                            .orElse("; known: " + String.join(", ", names)));
        }
    }

    static String money(double usd) {
        return usd >= 1 ? String.format(Locale.ROOT, "%.2f", usd) : String.format(Locale.ROOT, "%.3f", usd);
    }
}
