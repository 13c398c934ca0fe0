package dev.paddock.server;

import java.util.List;
import java.util.Locale;

/** Small pieces of server-rendered HTML; every text from data goes through {@link #esc}. */
final class Html {
    private Html() {}

    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        return o.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    static String page(String title, String active, String body, String version) {
        StringBuilder nav = new StringBuilder();
        for (String[] item : List.of(new String[] {"/", "Models"}, new String[] {"/chat", "Chat"}, new String[] {"/benchmarks", "Benchmarks"},
                new String[] {"/compare", "Compare"}, new String[] {"/hardware", "Hardware & fit"},
                new String[] {"/registry", "Registry & cost"}, new String[] {"/recommend", "Recommend"},
                new String[] {"/engines", "Engines"}, new String[] {"/status", "Status"}, new String[] {"/api/docs", "API"})) {
            nav.append("<a href=\"").append(item[0]).append("\"").append(item[1].equals(active) ? " aria-current=\"page\"" : "")
                    .append(">").append(item[1]).append("</a>");
        }
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Paddock</title><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/uplot/uPlot.min.css"><link rel="stylesheet" href="/assets/app.css"><script src="/assets/uplot/uPlot.iife.min.js" defer></script><script src="/assets/app.js" defer></script></head>
                <body><a class="skip" href="#main">Skip to content</a><header><strong class="brand">Paddock</strong><nav>%s</nav><span class="version">%s</span></header>
                <main id="main" tabindex="-1"><h1>%s</h1>
                %s
                </main></body></html>
                """.formatted(esc(title), nav, esc(version), esc(title), body);
    }

    static String bytes(Long b) {
        if (b == null) {
            return "–";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String count(Long n) {
        if (n == null) {
            return "–";
        }
        if (n >= 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1fB", n / 1e9);
        }
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        return n >= 1000 ? String.format(Locale.ROOT, "%.0fK", n / 1e3) : String.valueOf(n);
    }

    static String number(Double d, String pattern) {
        return d == null || d.isNaN() ? "–" : String.format(Locale.ROOT, pattern, d);
    }

    /** A bar showing a share (0–1), green under 50%, orange to 80%, red above, as the original design has it. */
    static String contextBar(Double share, String colour) {
        if (share == null) {
            return "–";
        }
        return String.format(Locale.ROOT, "<span class=\"context-bar\" title=\"%.0f%% of the context\"><span class=\"fill %s\" "
                + "style=\"width:%.0f%%\"></span></span> %.0f%%", 100 * share, esc(colour), Math.min(100, 100 * share), 100 * share);
    }
}
