package dev.paddock.cli;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ModelLoader;
import dev.paddock.provider.Provider;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
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

@Command(name = "ps", description = "List loaded models: provider, memory, how long loaded, when they unload.")
final class PsCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<ModelLoader.LoadedModel> loaded = new ArrayList<>();
        for (Provider p : root.paddock().providers().all()) {
            if (p instanceof ModelLoader l && root.paddock().providers().worthAsking(p)) {
                try {
                    loaded.addAll(l.loadedModels());
                } catch (PaddockException e) {
                    if (!root.paddock().providers().isQuiet(p.name())) {
                        root.warn("provider " + p.name() + ": " + e.getMessage());
                    }
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        if (json) {
            Json.print(out, loaded.stream().map(m -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", m.name());
                row.put("provider", m.provider());
                row.put("memoryBytes", m.memoryBytes());
                row.put("gpuMemoryBytes", m.gpuMemoryBytes());
                row.put("since", m.since() == null ? null : m.since().toString());
                row.put("expiresAt", m.expiresAt() == null ? null : m.expiresAt().toString());
                return row;
            }).toList());
            return 0;
        }
        if (loaded.isEmpty()) {
            root.err().println("no models loaded");
            return 0;
        }
        Table t = new Table("NAME", "PROVIDER", "MEMORY", "UPTIME", "UNLOADS").right(2);
        for (ModelLoader.LoadedModel m : loaded) {
            t.row(m.name(), m.provider(), m.memoryBytes() == null ? "unknown" : Format.bytes(m.memoryBytes()),
                    m.since() == null ? "-" : Format.span(Duration.between(m.since(), now)),
                    m.expiresAt() == null ? "never" : "in " + Format.span(Duration.between(now, m.expiresAt())));
        }
        t.print(out);
        return 0;
    }
}
