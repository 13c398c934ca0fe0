package dev.paddock.cli;

import dev.paddock.bench.BenchRun;
import dev.paddock.bench.BenchService;
import dev.paddock.bench.SpeedSample;
import dev.paddock.bench.SpeedSummary;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", description = {"Measure models' speed like llama-bench: one warm-up, then repetitions;",
        "prompt and generation tokens/s (mean ± sample SD), TTFT, ITL p50/p90/p99, TPOT, end-to-end. Stored with history."})
final class BenchCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "Local models or provider/model.")
    List<String> models;

    @Option(names = "--reps", defaultValue = "3", description = "Repetitions after the warm-up (default 3).")
    int reps;

    @Option(names = "--prompt-tokens", split = ",", defaultValue = "128", paramLabel = "N[,N…]",
            description = "Prompt lengths in tokens, exact on an installed engine (on the embedded one: about this many words).")
    List<Integer> promptTokens;

    @Option(names = "--gen-tokens", defaultValue = "64", description = "Tokens to generate (default 64).")
    int genTokens;

    @Option(names = "--threads", description = "CPU threads for local models.")
    Integer threads;

    @Option(names = "--ctx", description = "Context length for local models.")
    Integer context;

    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed (temperature is 0).")
    long seed;

    @Option(names = "--concurrency", split = ",", paramLabel = "N[,N…]", defaultValue = "1",
            description = "Concurrency levels: requests in flight at once (default 1).")
    List<Integer> concurrency;

    @Option(names = "--request-rate", paramLabel = "R", description = "Requests per second with Poisson arrivals (like vLLM's --request-rate).")
    Double requestRate;

    @Option(names = "--suite", defaultValue = "speed", paramLabel = "SUITE",
            description = "speed, quality, all, or a quality suite file (JSON; see the README).")
    String suite;

    @Option(names = "--compare-to", paramLabel = "last", description = "Compare with the model's previous run; flags regressions beyond 2 SD.")
    String compareTo;

    @Option(names = "--json", description = "Print the stored runs as JSON.")
    boolean json;

    @Option(names = "--engine", split = ",", paramLabel = "ID[,ID…]",
            description = "Local models on these engines (ids from paddock engine list, or embedded), one run each, side by side.")
    List<String> engines;

    @Override
    public Integer call() {
        if (reps < 1 || genTokens < 2 || promptTokens.stream().anyMatch(p -> p < 1) || concurrency.stream().anyMatch(c -> c < 1)
                || (requestRate != null && requestRate <= 0)) {
            throw dev.paddock.error.PaddockException.usage("--reps must be at least 1, --gen-tokens at least 2, prompt lengths,"
                    + " concurrency levels and --request-rate positive");
        }
        models.forEach(root::requireKnownModel); // every name checked before anything is measured
        PrintWriter out = spec.commandLine().getOut();
        boolean speed = suite.equals("speed") || suite.equals("all");
        dev.paddock.bench.QualitySuite quality = suite.equals("quality") || suite.equals("all") ? dev.paddock.bench.QualitySuite.bundled()
                : speed ? null : dev.paddock.bench.QualitySuite.load(java.nio.file.Path.of(suite));
        if (quality != null) {
            runQuality(out, quality);
            if (!speed) {
                return 0;
            }
        }
        root.err().printf("plan: %d model(s) × %d prompt length(s) × (1 warm-up + %d repetitions), %d tokens each%n",
                models.size(), promptTokens.size(), reps, genTokens);
        BenchService bench = root.paddock().bench();
        if (!bench.energyAvailable()) {
            root.err().println("energy: unavailable here (no readable RAPL counters in /sys/class/powercap); not estimated");
        }
        if (compareTo != null && !compareTo.equals("last")) {
            throw dev.paddock.error.PaddockException.usage("--compare-to takes \"last\", not \"" + compareTo + "\"");
        }
        List<BenchRun> runs = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        List<String> onEngines = engines == null ? java.util.Collections.singletonList(null) : engines;
        if (engines != null) {
            for (String e : engines) { // every engine named exists before anything is measured
                if (!e.equals(dev.paddock.runner.RunnerDefaults.Overrides.EMBEDDED)) {
                    root.paddock().engines().store().require(e);
                }
            }
        }
        try (CtrlC ctrlC = CtrlC.watch()) {
            for (String model : models) {
              for (String engine : onEngines) {
                BenchRun run = runSpeed(bench, model, engine, ctrlC, findings);
                runs.add(run);
                if (run.status().equals(BenchService.CANCELLED)) {
                    root.err().println("cancelled: what was measured is kept, marked cancelled (\"paddock history " + model + "\")");
                    printSummaries(out, runs, gbPerToken(), machineBandwidth());
                    return 130;
                }
              }
            }
        }
        return report(out, runs, findings, bench);
    }

    private BenchRun runSpeed(BenchService bench, String model, String engine, CtrlC ctrlC, List<String> findings) {
        BenchRun previous = compareTo == null ? null : bench.history(model, 10).stream()
                .filter(r -> r.status().equals("complete") && r.suite().equals(BenchService.SUITE)).findFirst().orElse(null);
        BenchRun run = bench.run(model, new BenchService.Settings(reps, promptTokens, genTokens, threads, context, seed, concurrency, requestRate,
                        engine),
                line -> root.err().println("  " + line), ctrlC::pressed);
        if (compareTo != null && !run.status().equals(BenchService.CANCELLED)) {
            if (previous == null) {
                findings.add(model + ": no earlier complete run to compare with");
            } else {
                dev.paddock.bench.Regression.compare(previous, run).forEach(f -> findings.add(model + " " + f.describe()));
            }
        }
        return run;
    }

    private int report(PrintWriter out, List<BenchRun> runs, List<String> findings, BenchService bench) {
        if (json) {
            Json.print(out, runs);
            return 0;
        }
        printSummaries(out, runs, gbPerToken(), machineBandwidth());
        printLoad(out, runs, bench);
        if (!findings.isEmpty()) {
            out.println();
            out.println("against the previous run:");
            findings.forEach(f -> out.println("  " + f));
        }
        boolean regressed = findings.stream().anyMatch(f -> f.endsWith(": regressed"));
        if (regressed) {
            return 1;
        }
        return runs.stream().allMatch(r -> r.status().equals("failed")) ? 1 : 0;
    }

    private void runQuality(PrintWriter out, dev.paddock.bench.QualitySuite qs) {
        root.err().printf("plan: %d model(s) × %d tasks of %s (version %s)%n", models.size(), qs.tasks().size(), qs.name(), qs.version());
        var grading = root.paddock().grading();
        Table t = new Table("MODEL", "CATEGORY", "PASSED", "SCORE").right(2, 3);
        List<Object> docs = new ArrayList<>();
        for (String model : models) {
            BenchRun run;
            try (CtrlC ctrlC = CtrlC.watch()) {
                run = root.paddock().quality().run(model, qs, grading, seed, line -> root.err().println("  " + line), ctrlC::pressed);
            }
            var answers = root.paddock().benchRuns().answers(run.id());
            var scores = dev.paddock.bench.QualityBench.score(answers);
            scores.byCategory().forEach((cat, c) -> t.row(model, cat, (int) c[0] + "/" + (int) c[1],
                    String.format(java.util.Locale.ROOT, "%.0f%%", 100 * c[0] / c[1])));
            t.row(model, "overall" + (scores.ungraded() > 0 ? " (" + scores.ungraded() + " ungraded)" : ""),
                    scores.passed() + "/" + scores.graded(), Double.isNaN(scores.overall()) ? "-"
                            : String.format(java.util.Locale.ROOT, "%.0f%%", 100 * scores.overall()));
            docs.add(java.util.Map.of("run", run, "answers", answers));
        }
        if (json) {
            Json.print(out, docs);
        } else {
            t.print(out);
        }
    }

    private void printLoad(PrintWriter out, List<BenchRun> runs, BenchService bench) {
        Table t = new Table("MODEL", "CONCURRENCY", "RATE", "REQUESTS", "ERRORS", "REQ/S", "OUT TOK/S", "LATENCY P50/P90/P99 MS", "TTFT P50 MS")
                .right(1, 2, 3, 4, 5, 6, 7, 8);
        boolean any = false;
        for (BenchRun r : runs) {
            for (var l : root.paddock().benchRuns().load(r.id())) {
                any = true;
                t.row(r.model(), l.concurrency(), l.requestRate() == null ? "-" : l.requestRate() + "/s", l.requests(), l.errors(),
                        String.format(java.util.Locale.ROOT, "%.2f", l.requestsPerSecond()),
                        String.format(java.util.Locale.ROOT, "%.1f", l.outputTokensPerSecond()),
                        f(l.latencyP50()) + " / " + f(l.latencyP90()) + " / " + f(l.latencyP99()), f(l.ttftP50()));
            }
        }
        if (any) {
            out.println();
            t.print(out);
        }
    }

    /**
     * Generation as memory traffic: each token reads the model's weights once, so tg × the weights' bytes is the
     * bandwidth it used, shown beside its share of what this machine measured (hw); NaN for a remote model.
     */
    private java.util.function.ToDoubleFunction<BenchRun> gbPerToken() {
        var paddock = root.paddock();
        return run -> {
            if (!run.provider().equals(dev.paddock.provider.local.LocalProvider.NAME)) {
                return Double.NaN;
            }
            // the weights a token reads: all of a dense model, a mixture of experts' shared part and used experts
            return paddock.store().find(dev.paddock.model.ModelName.parse(run.model()))
                    .map(m -> paddock.store().show(m.name()).file().facts().activeBytesPerToken() / 1e9).orElse(Double.NaN);
        };
    }

    private double machineBandwidth() {
        return dev.paddock.hardware.MemoryBandwidth.of(root.paddock().config().home(), dev.paddock.hardware.CpuTopology.detect(),
                java.time.Clock.systemUTC(), false).gbPerSecond();
    }

    /** @param gbPerToken per run: GB of weights each token reads (NaN: unknown); @param machine this machine's GB/s (hw) */
    static void printSummaries(PrintWriter out, List<BenchRun> runs, java.util.function.ToDoubleFunction<BenchRun> gbPerToken,
            double machine) {
        boolean engines = runs.stream().map(BenchRun::engine).distinct().count() > 1;
        Table t = new Table("MODEL", "PROMPT", "PP TOK/S", "TG TOK/S", "ENGINE TG", "TG GB/S (OF HW)", "TTFT MS", "ITL P50/P90/P99 MS",
                "TPOT MS", "E2E MS", "WH/1K TOK", "ERRORS").right(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        for (BenchRun r : runs) {
            Map<Integer, List<SpeedSample>> byPrompt = r.samples().stream()
                    .collect(Collectors.groupingBy(s -> s.failed() ? -1 : s.promptTokens(), java.util.TreeMap::new, Collectors.toList()));
            for (List<SpeedSample> group : byPrompt.values()) {
                SpeedSummary s = SpeedSummary.of(r.model(), group);
                double perToken = gbPerToken.applyAsDouble(r);
                String roof = s.tgMean() == null || Double.isNaN(perToken) ? "-"
                        : String.format(java.util.Locale.ROOT, "%.1f (%.0f%%)", s.tgMean() * perToken, 100 * s.tgMean() * perToken / machine);
                t.row(engines ? r.model() + " on " + r.engine() : r.model(), s.promptTokens(), pm(s.ppMean(), s.ppSd()),
                        pm(s.tgMean(), s.tgSd()), f(s.engineTgMean()), roof,
                        f(s.ttftMean()),
                        f(s.itlP50()) + " / " + f(s.itlP90()) + " / " + f(s.itlP99()), f(s.tpotMean()), f(s.e2eMean()),
                        s.whPerThousandTokens() == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", s.whPerThousandTokens()), s.errors());
            }
        }
        t.print(out);
    }

    private static String pm(Double mean, Double sd) {
        return mean == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f ± %.1f", mean, sd == null ? 0 : sd);
    }

    private static String f(Double v) {
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
