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

@Command(name = "registry", description = "Model facts and prices: context window, maximum output, capabilities, USD per 1M tokens.")
final class RegistryCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--provider", paramLabel = "P", description = "Only this provider's models (openai, anthropic, local…).")
    String provider;

    @Option(names = "--capability", paramLabel = "C", description = "Only models with it: vision, tools, json, reasoning.")
    String capability;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        var registry = root.paddock().registry();
        requireKnown("provider", provider, registry.all().stream().map(RegistryEntry::provider).toList());
        requireKnown("capability", capability, registry.all().stream().flatMap(e -> e.capabilities().stream()).toList());
        List<RegistryEntry> entries = registry.filter(provider, capability);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, entries);
            return 0;
        }
        Table t = new Table("MODEL", "CONTEXT", "MAX OUT", "INPUT $/1M", "OUTPUT $/1M", "CACHED $/1M", "CAPABILITIES", "PRICE AS OF")
                .right(1, 2, 3, 4, 5);
        for (RegistryEntry e : entries) {
            boolean priced = e.price() != null;
            t.row(e.id(), Format.context(e.contextWindow()), e.maxOutput() == null ? null : Format.count(e.maxOutput()),
                    priced ? money(e.price().inputPerMillion()) : e.cloud() ? "unknown" : "local",
                    priced ? money(e.price().outputPerMillion()) : e.cloud() ? "unknown" : "local",
                    priced && e.price().cachedInputPerMillion() != null ? money(e.price().cachedInputPerMillion()) : null,
                    String.join(" ", e.capabilities()), priced ? e.price().asOf() : null);
        }
        t.print(out);
        return 0;
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
