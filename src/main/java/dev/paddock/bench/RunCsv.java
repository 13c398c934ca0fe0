package dev.paddock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stored runs as CSV: one row per measured request, each carrying what produced it (model, provider, digest,
 * quantisation, engine, hardware, settings, suite and version, time). Fields are quoted as RFC 4180 says; an
 * empty field is an unknown value. ITL gaps are left out (one list per row does not fit CSV; JSON has them).
 */
public final class RunCsv {
    public static final List<String> HEADER = List.of("run_id", "model", "provider", "digest", "quantization", "engine", "hardware",
            "settings", "suite", "suite_version", "started_at", "status", "repetition", "prompt_tokens", "output_tokens", "pp_tok_s",
            "tg_tok_s", "ttft_ms", "tpot_ms", "e2e_ms", "energy_j", "error");

    private RunCsv() {}

    public static String of(List<BenchRun> runs) {
        StringBuilder s = new StringBuilder(String.join(",", HEADER)).append("\r\n");
        for (BenchRun r : runs) {
            for (SpeedSample x : r.samples()) {
                List<String> cells = new ArrayList<>(List.of(r.id(), r.model(), text(r.provider()), text(r.digest()), text(r.quantization()),
                        text(r.engine()), text(r.hardware()), text(r.settings()), r.suite(), r.suiteVersion(), r.startedAt().toString(),
                        r.status(), String.valueOf(x.repetition()), String.valueOf(x.promptTokens()), String.valueOf(x.outputTokens()),
                        number(x.promptTokensPerSecond()), number(x.generationTokensPerSecond()), number(x.ttftMillis()), number(x.tpotMillis()),
                        number(x.endToEndMillis()), number(x.energyJoules()), text(x.error())));
                s.append(String.join(",", cells.stream().map(RunCsv::quote).toList())).append("\r\n");
            }
        }
        return s.toString();
    }

    /** Parses what {@link #of} writes (quoted fields with commas, quotes and line breaks included): rows of fields. */
    public static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r') {
                continue;
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String number(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%s", d);
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
