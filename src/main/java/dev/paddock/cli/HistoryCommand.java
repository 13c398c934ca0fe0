package dev.paddock.cli;

import dev.paddock.bench.BenchRun;
import dev.paddock.bench.SpeedSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "history", description = "A model's benchmark runs over time, newest first, with what produced each.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = "--last", defaultValue = "10", description = "How many runs (default 10).")
    int last;

    @Option(names = "--json", description = "Print JSON (every sample) for scripts and export.")
    boolean json;

    @Option(names = "--csv", description = "Print CSV: one row per measured request, with what produced it.")
    boolean csv;

    @Override
    public Integer call() {
        if (last < 1) {
            throw dev.paddock.error.PaddockException.usage("--last must be 1 or more, not " + last);
        }
        List<BenchRun> runs = root.paddock().history(model, last);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, runs);
            return 0;
        }
        if (csv) {
            out.print(dev.paddock.bench.RunCsv.of(runs));
            return 0;
        }
        if (runs.isEmpty()) {
            root.err().println("no benchmark runs of " + model + " yet; \"paddock bench " + model + "\" makes one");
            return 0;
        }
        Instant now = Instant.now();
        Table t = new Table("WHEN", "STATUS", "TG TOK/S", "PP TOK/S", "TTFT MS", "ENGINE", "SETTINGS").right(2, 3, 4);
        for (BenchRun r : runs) {
            SpeedSummary s = SpeedSummary.of(r.model(), r.samples());
            t.row(Format.ago(r.startedAt(), now), r.status(), s.tgMean() == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f", s.tgMean()),
                    s.ppMean() == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f", s.ppMean()),
                    s.ttftMean() == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f", s.ttftMean()), r.engine(), settings(r.settings()));
        }
        t.print(out);
        return 0;
    }

    /** A run's settings as a person reads them: "3 reps, prompt 128 tokens, 64 generated, seed 42"; --json has them all. */
    static String settings(String json) {
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (java.io.IOException | RuntimeException e) {
            return json;
        }
        if (n == null || !n.isObject()) {
            return json;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (n.path("repetitions").isNumber()) {
            parts.add(n.get("repetitions").asInt() + " reps");
        }
        for (String k : java.util.List.of("promptTokens", "promptWords")) {
            if (n.path(k).isArray() && !n.get(k).isEmpty()) {
                java.util.List<String> v = new java.util.ArrayList<>();
                n.get(k).forEach(x -> v.add(x.asText()));
                parts.add("prompt " + String.join("/", v) + (k.equals("promptWords") ? " words" : " tokens"));
            }
        }
        if (n.path("generationTokens").isNumber()) {
            parts.add(n.get("generationTokens").asInt() + " generated");
        }
        for (String k : java.util.List.of("threads", "context", "seed", "temperature")) {
            if (n.hasNonNull(k)) {
                parts.add(k + " " + n.get(k).asText());
            }
        }
        if (n.path("concurrency").isArray() && n.get("concurrency").size() > 0
                && !(n.get("concurrency").size() == 1 && n.get("concurrency").get(0).asInt() == 1)) {
            java.util.List<String> v = new java.util.ArrayList<>();
            n.get("concurrency").forEach(x -> v.add(x.asText()));
            parts.add("concurrency " + String.join(",", v));
        }
        if (n.hasNonNull("requestRate")) {
            parts.add(n.get("requestRate").asText() + " req/s");
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
