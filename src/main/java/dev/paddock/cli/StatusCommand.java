package dev.paddock.cli;

import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.KeepAlive;
import dev.paddock.runner.LoadedRunner;
import dev.paddock.runner.ProcessCpu;
import dev.paddock.runner.ProcessMemory;
import dev.paddock.serving.UsageStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", description = "The active model: provider, state, uptime, requests, errors, speed, latency, memory, CPU.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h", description = "Window for the request figures (default 24h).")
    String since;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, Object> s = new LinkedHashMap<>();
        Optional<String> active = root.paddock().activeModel().get();
        s.put("activeModel", active.orElse(null));
        long window = KeepAlive.parseSeconds(since);
        Instant from = window < 0 ? Instant.EPOCH : Instant.now().minusSeconds(window);
        if (active.isPresent()) {
            Providers.Target t = root.paddock().providers().resolve(active.get(), LocalProvider.NAME);
            s.put("provider", t.provider().name());
            Optional<LoadedRunner> runner = t.provider() instanceof LocalProvider
                    ? root.paddock().supervisor().find(dev.paddock.model.ModelName.parse(t.model())) : Optional.empty();
            s.put("state", t.provider() instanceof LocalProvider ? (runner.isPresent() ? "loaded" : "not loaded") : "remote");
            runner.ifPresent(r -> {
                Duration up = Duration.between(r.started(), Instant.now());
                s.put("uptimeSeconds", up.getSeconds());
                s.put("memoryBytes", r.memory().map(ProcessMemory::residentBytes).orElse(null));
                s.put("peakMemoryBytes", r.memory().map(ProcessMemory::peakResidentBytes).orElse(null));
                var cpu = ProcessCpu.averagePercent(r.pid(), up);
                s.put("cpuPercent", cpu.isPresent() ? cpu.getAsDouble() : null);
            });
            UsageStats u = UsageStats.of(root.paddock().requestLog().since(from, t.model()));
            s.put("window", since);
            s.put("requests", u.requests());
            s.put("errorRate", u.errorRate());
            s.put("meanTokensPerSecond", u.meanTokensPerSecond());
            s.put("meanTtftMillis", u.meanTtftMillis());
            s.put("meanDurationMillis", u.meanDurationMillis());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, s);
            return 0;
        }
        if (active.isEmpty()) {
            out.println("no active model; choose one with \"paddock use MODEL\"");
            return 0;
        }
        Table t = new Table("", "");
        t.row("active model", s.get("activeModel"));
        t.row("provider", s.get("provider"));
        t.row("state", s.get("state"));
        t.row("uptime", s.containsKey("uptimeSeconds") ? Format.span(Duration.ofSeconds((Long) s.get("uptimeSeconds"))) : "-");
        t.row("requests (" + since + ")", s.get("requests"));
        t.row("error rate", String.format(Locale.ROOT, "%.1f%%", 100 * (Double) s.get("errorRate")));
        t.row("tokens/s (mean)", number(s.get("meanTokensPerSecond"), "%.1f"));
        t.row("time to first token", number(s.get("meanTtftMillis"), "%.0f ms"));
        t.row("latency (mean)", number(s.get("meanDurationMillis"), "%.0f ms"));
        t.row("memory", s.get("memoryBytes") == null ? "-" : Format.bytes((Long) s.get("memoryBytes"))
                + " (peak " + Format.bytes((Long) s.get("peakMemoryBytes")) + ")");
        t.row("cpu", number(s.get("cpuPercent"), "%.0f%% of a core"));
        t.printRows(out);
        return 0;
    }

    private static String number(Object v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }
}
