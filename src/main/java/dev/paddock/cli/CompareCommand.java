package dev.paddock.cli;

import dev.paddock.bench.BenchRun;
import dev.paddock.bench.SpeedSummary;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare", description = "Models side by side from their latest benchmark runs; the best of each column marked *.")
final class CompareCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MODEL")
    List<String> models;

    @Option(names = "--sort", defaultValue = "tg", description = "tg, pp, ttft or e2e (default tg).")
    String sort;

    @Option(names = "--format", defaultValue = "table", description = "table, md, csv or json.")
    String format;

    @Option(names = "--chart", paramLabel = "DIR", description = "Also write SVG charts there: bars per metric, each model's tg history.")
    java.nio.file.Path chartDir;

    @Override
    public Integer call() {
        List<SpeedSummary> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String m : models) {
            List<BenchRun> latest = root.paddock().bench().history(m, 1);
            if (latest.isEmpty()) {
                missing.add(m);
            } else {
                rows.add(SpeedSummary.of(m, latest.getFirst().samples()));
            }
        }
        missing.forEach(m -> root.warn("no benchmark run of " + m + "; \"paddock bench " + m + "\" makes one"));
        Comparator<SpeedSummary> order = switch (sort) {
            case "tg" -> Comparator.comparing(SpeedSummary::tgMean, Comparator.nullsLast(Comparator.reverseOrder()));
            case "pp" -> Comparator.comparing(SpeedSummary::ppMean, Comparator.nullsLast(Comparator.reverseOrder()));
            case "ttft" -> Comparator.comparing(SpeedSummary::ttftMean, Comparator.nullsLast(Comparator.naturalOrder()));
            case "e2e" -> Comparator.comparing(SpeedSummary::e2eMean, Comparator.nullsLast(Comparator.naturalOrder()));
            default -> throw dev.paddock.error.PaddockException.invalidInput("--sort must be tg, pp, ttft or e2e, not \"" + sort + "\"");
        };
        rows.sort(order);
        if (chartDir != null) {
            writeCharts(rows);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> header = List.of("model", "tg_tok_s", "pp_tok_s", "ttft_ms", "itl_p99_ms", "e2e_ms");
        List<List<String>> cells = new ArrayList<>();
        for (SpeedSummary s : rows) {
            cells.add(List.of(s.model(), mark(s.tgMean(), rows, SpeedSummary::tgMean, true), mark(s.ppMean(), rows, SpeedSummary::ppMean, true),
                    mark(s.ttftMean(), rows, SpeedSummary::ttftMean, false), mark(s.itlP99(), rows, SpeedSummary::itlP99, false),
                    mark(s.e2eMean(), rows, SpeedSummary::e2eMean, false)));
        }
        switch (format) {
            case "json" -> {
                List<Map<String, Object>> docs = new ArrayList<>();
                for (SpeedSummary s : rows) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("model", s.model());
                    d.put("summary", s);
                    docs.add(d);
                }
                Json.print(out, docs);
            }
            case "csv" -> {
                out.println(String.join(",", header));
                cells.forEach(c -> out.println(String.join(",", c.stream().map(x -> x.replace("*", "")).toList())));
            }
            case "md" -> {
                out.println("| " + String.join(" | ", header) + " |");
                out.println("|" + "---|".repeat(header.size()));
                cells.forEach(c -> out.println("| " + String.join(" | ", c) + " |"));
            }
            case "table" -> {
                Table t = new Table("MODEL", "TG TOK/S", "PP TOK/S", "TTFT MS", "ITL P99 MS", "E2E MS").right(1, 2, 3, 4, 5);
                cells.forEach(c -> t.row(c.toArray()));
                t.print(out);
            }
            default -> throw dev.paddock.error.PaddockException.invalidInput("--format must be table, md, csv or json");
        }
        return missing.size() == models.size() ? 1 : 0;
    }

    /** The value, with * when it is the best of its column (highest or lowest). */
    private static String mark(Double v, List<SpeedSummary> rows, Function<SpeedSummary, Double> f, boolean higherIsBetter) {
        if (v == null) {
            return "-";
        }
        double best = rows.stream().map(f).filter(x -> x != null).mapToDouble(Double::doubleValue)
                .reduce(higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, higherIsBetter ? Math::max : Math::min);
        String text = String.format(Locale.ROOT, "%.1f", v);
        return rows.size() > 1 && v == best ? text + "*" : text;
    }

    private void writeCharts(List<SpeedSummary> rows) {
        try {
            java.nio.file.Files.createDirectories(chartDir);
            write("tg.svg", dev.paddock.compare.SvgChart.bars("Generation speed", "tokens/s", rows.stream().filter(r -> r.tgMean() != null)
                    .map(r -> new dev.paddock.compare.SvgChart.Bar(r.model(), r.tgMean(), r.tgSd() == null ? 0 : r.tgSd())).toList()));
            write("pp.svg", dev.paddock.compare.SvgChart.bars("Prompt speed", "tokens/s", rows.stream().filter(r -> r.ppMean() != null)
                    .map(r -> new dev.paddock.compare.SvgChart.Bar(r.model(), r.ppMean(), r.ppSd() == null ? 0 : r.ppSd())).toList()));
            write("ttft.svg", dev.paddock.compare.SvgChart.bars("Time to first token", "ms", rows.stream().filter(r -> r.ttftMean() != null)
                    .map(r -> new dev.paddock.compare.SvgChart.Bar(r.model(), r.ttftMean(), 0)).toList()));
            for (SpeedSummary r : rows) {
                List<BenchRun> history = new ArrayList<>(root.paddock().bench().history(r.model(), 20));
                java.util.Collections.reverse(history);
                List<dev.paddock.compare.SvgChart.Point> points = history.stream()
                        .map(h -> new Object[] {h, SpeedSummary.of(h.model(), h.samples()).tgMean()}).filter(x -> x[1] != null)
                        .map(x -> new dev.paddock.compare.SvgChart.Point(((BenchRun) x[0]).startedAt().toString().substring(0, 16),
                                (Double) x[1])).toList();
                write("history-" + r.model().replaceAll("[^a-zA-Z0-9._-]", "_") + "-tg.svg",
                        dev.paddock.compare.SvgChart.line(r.model() + ": generation speed over time", "tokens/s", points));
            }
            root.err().println("charts written to " + chartDir);
        } catch (java.io.IOException e) {
            throw dev.paddock.error.PaddockException.storage("cannot write charts to " + chartDir + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, String svg) throws java.io.IOException {
        java.nio.file.Files.writeString(chartDir.resolve(name), svg);
    }
}
