package dev.paddock.cli;

import dev.paddock.serving.ServingStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
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
        long window = dev.paddock.serving.TimeSpan.seconds(since, "--since");
        Instant from = window < 0 ? Instant.EPOCH : Instant.now().minusSeconds(window);
        ServingStatus.Report s = root.paddock().status().report(from);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, s);
            return 0;
        }
        if (s.activeModel() == null) {
            out.println("no active model; choose one with \"paddock use MODEL\"");
            return 0;
        }
        Table t = new Table("", "");
        t.row("active model", s.activeModel());
        t.row("provider", s.provider());
        t.row("state", s.state());
        t.row("uptime", s.uptimeSeconds() != null ? Format.span(Duration.ofSeconds(s.uptimeSeconds())) : "-");
        t.row("requests (" + since + ")", s.requests());
        t.row("error rate", String.format(Locale.ROOT, "%.1f%%", 100 * s.errorRate()));
        t.row("tokens/s (mean)", number(s.meanTokensPerSecond(), "%.1f"));
        t.row("time to first token", number(s.meanTtftMillis(), "%.0f ms"));
        t.row("latency (mean)", number(s.meanDurationMillis(), "%.0f ms"));
        t.row("memory", s.memoryBytes() == null ? "-" : Format.bytes(s.memoryBytes()) + " (peak " + Format.bytes(s.peakMemoryBytes()) + ")");
        t.row("cpu", number(s.cpuPercent(), "%.0f%% of a core"));
        if (s.engine() != null) {
            t.row("engine", s.engine());
        }
        var m = s.engineMetrics();
        if (m != null) {
            t.row("slots", m.busySlots() + " of " + m.slots() + " busy" + (m.deferredRequests() > 0 ? ", " + m.deferredRequests() + " waiting" : ""));
            t.row("engine prompt", String.format(Locale.ROOT, "%,d tokens evaluated, %.1f tokens/s", m.promptTokens(), m.promptTokensPerSecond()));
            t.row("engine generation", String.format(Locale.ROOT, "%,d tokens generated, %.1f tokens/s", m.generatedTokens(),
                    m.generatedTokensPerSecond()));
            t.row("longest sequence", m.largestSequenceTokens() + " tokens");
        }
        t.printRows(out);
        return 0;
    }

    private static String number(Object v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }
}
