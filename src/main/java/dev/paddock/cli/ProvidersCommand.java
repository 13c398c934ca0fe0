package dev.paddock.cli;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ProviderHealth;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "providers", description = "List the providers Paddock knows, whether each answers, and how many models it has.")
final class ProvidersCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<ProviderHealth> rows = root.paddock().providers().all().stream().map(ProviderHealth::of).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, rows);
            return 0;
        }
        Table t = new Table("NAME", "KIND", "LOCATION", "REACHABLE", "MODELS").right(4);
        rows.forEach(r -> t.row(r.name(), r.kind(), r.location(), r.reachable() ? "yes" : "no", r.models()));
        t.print(out);
        return 0;
    }
}
