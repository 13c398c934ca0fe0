package dev.paddock.cli;

import dev.paddock.bench.SpeedSummary;
import dev.paddock.compare.ComparisonRow;
import dev.paddock.compare.Comparisons;
import dev.paddock.compare.Metric;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare", description = {"Models side by side from their latest runs: speed, memory, quality, price, context use;",
        "the best of each column marked * (fastest, lowest latency, least memory, best quality, cheapest)."})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MODEL")
    List<String> models;

    @Option(names = "--sort", defaultValue = "tg", description = "tg, pp, ttft, e2e, memory or quality (default tg).")
    String sort;

    @Option(names = "--format", defaultValue = "table", description = "table, md, csv, json or html.")
    String format;

    @Option(names = "--json", description = "The same as --format json, as other commands take it.")
    boolean json;

    @Option(names = "--chart", paramLabel = "DIR", description = "Also write SVG charts there: bars per metric, each model's tg history.")
    Path chartDir;

    private static final List<String> HEADER = List.of("model", "tg_tok_s", "pp_tok_s", "ttft_ms", "itl_p99_ms", "e2e_ms", "peak_rss_mib",
            "quality_pct", "usd_per_1m_in", "usd_per_1m_out", "context_use_pct");

    private static String base(String reference) {
        int at = reference.lastIndexOf('@');
        return at > 0 ? reference.substring(0, at) : reference;
    }

    private static String engineOf(String reference) {
        int at = reference.lastIndexOf('@');
        return at > 0 ? reference.substring(at).toLowerCase(java.util.Locale.ROOT).strip() : "";
    }

    @Override
    public Integer call() {
        if (json) {
            if (!format.equals("table") && !format.equals("json")) {
                throw PaddockException.usage("--json and --format " + format + " ask for two formats; choose one");
            }
            format = "json";
        }
        order(); // flag values first: a bad --sort or --format is a usage error whatever the models
        if (!List.of("table", "md", "csv", "json", "html").contains(format)) {
            throw PaddockException.usage("--format must be table, md, csv, json or html, not \"" + format + "\"");
        }
        List<String> missing = new ArrayList<>();
        List<ComparisonRow> rows = new ArrayList<>(root.paddock().comparisons().rows(models, missing));
        for (String m : models) { // a run of a deleted model still compares; a name that is neither a run nor a model is a typo
            String row = root.paddock().canonicalModel(base(m)) + engineOf(m);
            if (rows.stream().noneMatch(r -> r.model().equalsIgnoreCase(row))) {
                root.requireKnownModel(m);
            }
        }
        if (rows.isEmpty()) {
            throw dev.paddock.error.PaddockException.notFound("no benchmark runs of " + String.join(", ", models)
                    + " yet; \"paddock bench " + base(models.getFirst()) + "\" makes one");
        }
        missing.forEach(m -> root.warn("no benchmark run of " + m + "; \"paddock bench " + (m.lastIndexOf('@') > 0
                ? m.substring(0, m.lastIndexOf('@')) + " --engine " + m.substring(m.lastIndexOf('@') + 1) : m) + "\" makes one"));
        rows.sort(order());
        if (chartDir != null) {
            writeCharts(rows);
        }
        List<List<String>> cells = new ArrayList<>();
        for (ComparisonRow r : rows) {
            SpeedSummary s = r.speed();
            cells.add(List.of(r.model(),
                    mark(r, rows, Metric.TG, "%.1f"), mark(r, rows, Metric.PP, "%.1f"), mark(r, rows, Metric.TTFT, "%.1f"),
                    mark(r, rows, Metric.ITL_P99, "%.1f"), mark(r, rows, Metric.E2E, "%.1f"), mark(r, rows, Metric.MEMORY, "%.0f"),
                    mark(r, rows, Metric.QUALITY, "%.0f"), mark(r, rows, Metric.PRICE_IN, "%.2f"), mark(r, rows, Metric.PRICE_OUT, "%.2f"),
                    r.contextUse() == null ? "-" : String.format(Locale.ROOT, "%.0f", 100 * r.contextUse())));
            if (s == null && r.quality() == null) {
                root.warn(r.model() + " has runs but nothing to compare yet");
            }
        }
        render(rows, cells);
        return missing.size() == models.size() ? 1 : 0;
    }

    private Comparator<ComparisonRow> order() {
        Function<ComparisonRow, Double> key = switch (sort) {
            case "tg" -> r -> r.speed() == null ? null : -nz(r.speed().tgMean());
            case "pp" -> r -> r.speed() == null ? null : -nz(r.speed().ppMean());
            case "ttft" -> r -> r.speed() == null ? null : r.speed().ttftMean();
            case "e2e" -> r -> r.speed() == null ? null : r.speed().e2eMean();
            case "memory" -> r -> r.peakRssBytes() == null ? null : r.peakRssBytes().doubleValue();
            case "quality" -> r -> r.quality() == null ? null : -r.quality();
            default -> throw PaddockException.usage("--sort must be tg, pp, ttft, e2e, memory or quality, not \"" + sort + "\"");
        };
        return Comparator.comparing(key, Comparator.nullsLast(Comparator.naturalOrder()));
    }

    private void render(List<ComparisonRow> rows, List<List<String>> cells) {
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "json" -> Json.print(out, rows);
            case "csv" -> {
                out.println(String.join(",", HEADER));
                cells.forEach(c -> out.println(String.join(",", c.stream().map(x -> x.replace("*", "")).toList())));
            }
            case "md" -> {
                out.println("| " + String.join(" | ", HEADER) + " |");
                out.println("|" + "---|".repeat(HEADER.size()));
                cells.forEach(c -> out.println("| " + String.join(" | ", c) + " |"));
            }
            case "html" -> out.print(html(rows, cells));
            case "table" -> {
                Table t = new Table("MODEL", "TG TOK/S", "PP TOK/S", "TTFT MS", "ITL P99 MS", "E2E MS", "PEAK MIB", "QUALITY %",
                        "$/1M IN", "$/1M OUT", "CONTEXT USED").right(1, 2, 3, 4, 5, 6, 7, 8, 9);
                for (int i = 0; i < cells.size(); i++) {
                    List<String> c = new ArrayList<>(cells.get(i));
                    c.set(10, bar(rows.get(i)));
                    t.row(c.toArray());
                }
                t.print(out);
            }
            default -> throw PaddockException.usage("--format must be table, md, csv, json or html, not \"" + format + "\"");
        }
    }

    /** "▮▮▯▯▯ 40% (green)": the share of the context a benchmark request used. */
    private static String bar(ComparisonRow r) {
        if (r.contextUse() == null) {
            return "-";
        }
        int filled = (int) Math.round(Math.min(1, r.contextUse()) * 5);
        return "▮".repeat(filled) + "▯".repeat(5 - filled) + String.format(Locale.ROOT, " %.0f%% (%s)", 100 * r.contextUse(),
                r.contextColour());
    }

    private static String html(List<ComparisonRow> rows, List<List<String>> cells) {
        StringBuilder s = new StringBuilder("<table class=\"compare\">\n<tr>");
        HEADER.forEach(h -> s.append("<th>").append(h).append("</th>"));
        s.append("</tr>\n");
        for (int i = 0; i < cells.size(); i++) {
            s.append("<tr>");
            List<String> c = cells.get(i);
            for (int j = 0; j < c.size() - 1; j++) {
                String v = esc(c.get(j));
                s.append(v.endsWith("*") ? "<td class=\"best\">" + v.substring(0, v.length() - 1) + "</td>" : "<td>" + v + "</td>");
            }
            ComparisonRow r = rows.get(i);
            s.append(r.contextUse() == null ? "<td>-</td>" : String.format(Locale.ROOT,
                    "<td><div class=\"context-bar\" style=\"width:100px;background:#eee\"><div style=\"width:%.0fpx;height:10px;"
                            + "background:%s\"></div></div>%.0f%%</td>", Math.min(100, 100 * r.contextUse()), r.contextColour(),
                    100 * r.contextUse()));
            s.append("</tr>\n");
        }
        return s.append("</table>\n").toString();
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The value, with * when it is the best of its column. */
    private static String mark(ComparisonRow r, List<ComparisonRow> rows, Metric m, String pattern) {
        Double v = m.value(r);
        if (v == null) {
            return "-";
        }
        String text = String.format(Locale.ROOT, pattern, v);
        return m.winners(rows).contains(r.model()) ? text + "*" : text;
    }

    private static double nz(Double d) {
        return d == null ? 0 : d;
    }

    private void writeCharts(List<ComparisonRow> rows) {
        try {
            Files.createDirectories(chartDir);
            for (Metric m : List.of(Metric.TG, Metric.PP, Metric.TTFT)) {
                write(m.wire() + ".svg", m.chart(rows));
            }
            for (ComparisonRow r : rows) {
                if (r.speed() != null) {
                    write("history-" + r.model().replaceAll("[^a-zA-Z0-9._-]", "_") + "-tg.svg",
                            Comparisons.historyChart(r.model(), root.paddock().bench().history(r.model(), 20)));
                }
            }
            root.err().println("charts written to " + chartDir);
        } catch (IOException e) {
            throw PaddockException.storage("cannot write charts to " + chartDir + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, String svg) throws IOException {
        Files.writeString(chartDir.resolve(name), svg);
    }
}
