package dev.paddock.cli;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.Provider;
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
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Provider p : root.paddock().providers().all()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.name());
            row.put("kind", p.kind());
            row.put("location", p.location());
            try {
                row.put("models", p.listModels().size());
                row.put("reachable", true);
                row.put("error", null);
            } catch (PaddockException e) {
                row.put("models", null);
                row.put("reachable", false);
                row.put("error", e.getMessage());
            }
            rows.add(row);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, rows);
            return 0;
        }
        Table t = new Table("NAME", "KIND", "LOCATION", "REACHABLE", "MODELS").right(4);
        rows.forEach(r -> t.row(r.get("name"), r.get("kind"), r.get("location"),
                Boolean.TRUE.equals(r.get("reachable")) ? "yes" : "no", r.get("models")));
        t.print(out);
        return 0;
    }
}
