package dev.paddock.server;

import static dev.paddock.server.Html.esc;

import dev.paddock.app.Paddock;
import dev.paddock.bench.BenchRun;
import dev.paddock.bench.SpeedSummary;
import dev.paddock.compare.ComparisonRow;
import dev.paddock.compare.Comparisons;
import dev.paddock.compare.Metric;
import dev.paddock.compare.ChartData;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufReader;
import dev.paddock.hardware.FitPlan;
import dev.paddock.hardware.GpuInfo;
import dev.paddock.hardware.HardwareReport;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemTool;
import dev.paddock.inventory.InventoryRow;
import dev.paddock.recommend.Task;
import dev.paddock.registry.RegistryEntry;
import dev.paddock.serving.Analytics;
import dev.paddock.serving.ServingStatus;
import dev.paddock.store.StoredModel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The web dashboard: server-rendered pages from the same services as the API, with one small script
 * (/assets/app.js) for what must be live (pulls, benchmarks) or interactive (cost, recommendations).
 * Nothing is fetched from the internet.
 */
final class Dashboard {
    private static final Set<String> ASSETS = Set.of("app.js", "app.css", "favicon.svg", "docs.js");
    private final Paddock paddock;
    private final RoutesConfig routes;
    private final String version;

    private final ChangeFeed changes;

    Dashboard(Paddock paddock, RoutesConfig routes, String version, ChangeFeed changes) {
        this.paddock = paddock;
        this.routes = routes;
        this.version = version;
        this.changes = changes;
    }

    /**
     * A page with parts that follow /api/events: the state of its topics is read before the page is made, so that when
     * it starts listening it hears of whatever changed in between (app.js sends it as ?since=).
     */
    private String live(java.util.function.Supplier<String> body) {
        String stamps = changes.stamps();
        return "<div id=\"live-stamps\" data-stamps=\"" + esc(stamps) + "\" hidden></div>" + body.get();
    }

    void register() {
        routes.get("/", ctx -> ctx.html(Html.page("Models", "Models", live(this::models), version)));
        routes.get("/chat", ctx -> ctx.html(Html.page("Chat", "Chat", ChatPage.render(paddock), version)));
        routes.get("/benchmarks", ctx -> ctx.html(Html.page("Benchmarks", "Benchmarks", live(() -> benchmarks(ctx)), version)));
        routes.get("/compare", ctx -> ctx.html(Html.page("Compare", "Compare", compare(ctx), version)));
        routes.get("/hardware", ctx -> ctx.html(Html.page("Hardware & fit", "Hardware & fit", hardware(), version)));
        routes.get("/registry", ctx -> ctx.html(Html.page("Registry & cost", "Registry & cost", registry(), version)));
        routes.get("/recommend", ctx -> ctx.html(Html.page("Recommend", "Recommend", recommend(), version)));
        routes.get("/engines", ctx -> ctx.html(Html.page("Engines", "Engines", live(() -> EnginePage.render(paddock)), version)));
        routes.get("/status", ctx -> ctx.html(Html.page("Status", "Status", live(() -> status(ctx)), version)));
        routes.get("/assets/{file}", this::asset);
        Webjar uplot = new Webjar("org.webjars.npm", "uplot", "dist/", java.util.Map.of("uPlot.iife.min.js", "text/javascript; charset=utf-8",
                "uPlot.min.css", "text/css; charset=utf-8"));
        routes.get("/assets/uplot/{file}", uplot::serve); // the charts' library
        routes.get("/favicon.ico", ctx -> ctx.redirect("/assets/favicon.svg")); // browsers ask for it before reading the page's icon
    }

    private void asset(Context ctx) {
        String file = ctx.pathParam("file");
        if (!ASSETS.contains(file)) {
            throw PaddockException.notFound("no asset " + file);
        }
        try (InputStream in = Dashboard.class.getResourceAsStream("/web/" + file)) {
            ctx.contentType(file.endsWith(".js") ? "text/javascript; charset=utf-8" : file.endsWith(".svg") ? "image/svg+xml"
                    : "text/css; charset=utf-8")
                    .header("Cache-Control", "no-cache").result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String models() {
        List<String> warnings = new ArrayList<>();
        List<InventoryRow> rows = paddock.inventory().list(true, warnings::add);
        String active = paddock.activeModel().get().orElse(null);
        StringBuilder s = new StringBuilder();
        s.append("""
                <div class="toolbar">
                  <button type="button" id="pull-open">Pull a model…</button>
                  <button type="button" id="bench-selected" disabled>Benchmark selected</button>
                  <button type="button" id="compare-selected" disabled>Compare selected</button>
                </div>
                """);
        warnings.forEach(w -> s.append("<p class=\"warning\">").append(esc(w)).append("</p>"));
        if (rows.isEmpty()) {
            s.append("<p id=\"no-models\">No models yet. Pull one, or run <code>paddock demo</code> for a small generated model.</p>");
        }
        s.append("<table id=\"models\" class=\"data\" data-live=\"models\"><caption>Models across providers</caption><thead><tr><th scope=\"col\">"
                + "<span class=\"sr\">Select</span></th><th scope=\"col\">Name</th><th scope=\"col\">Provider</th><th scope=\"col\">Size</th>"
                + "<th scope=\"col\">Parameters</th><th scope=\"col\">Quantisation</th><th scope=\"col\">Context</th><th scope=\"col\">Fits</th>"
                + "<th scope=\"col\">Last benchmark</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
        for (InventoryRow m : rows) {
            boolean isActive = m.name().equals(active);
            s.append("<tr data-model=\"").append(esc(m.name())).append("\"").append(isActive ? " class=\"active\"" : "").append(">")
                    .append("<td><input type=\"checkbox\" class=\"pick\" value=\"").append(esc(m.name())).append("\" aria-label=\"select ")
                    .append(esc(m.name())).append("\"></td>")
                    .append("<td class=\"name\">").append(esc(m.name())).append(isActive ? " <span class=\"badge\">active</span>" : "")
                    .append(Boolean.TRUE.equals(m.vision()) ? " <span class=\"badge vision\" title=\"takes images: a vision projector is"
                            + " installed with it\">vision</span>" : "")
                    .append("</td><td>").append(esc(m.provider())).append("</td><td class=\"num\">").append(Html.bytes(m.sizeBytes()))
                    .append("</td><td class=\"num\">").append(Html.count(m.parameterCount())).append("</td><td>")
                    .append(esc(m.quantization() == null ? "–" : m.quantization())).append("</td><td class=\"num\">")
                    .append(Html.count(m.contextLength())).append("</td><td>")
                    .append(m.problem() != null ? "<span class=\"bad\" title=\"" + esc(m.problem()) + "\">broken</span>"
                            : Boolean.FALSE.equals(m.runnable()) ? "<span class=\"bad\" title=\"no installed engine loads it: paddock engine"
                            + " install brings a current one\">needs engine</span>" : m.fits() == null ? "–" : m.fits() ? "yes"
                            : "<span class=\"bad\">no</span>").append("</td><td>")
                    .append(m.lastTokensPerSecond() == null ? "–" : Html.number(m.lastTokensPerSecond(), "%.1f tok/s")).append("</td><td>")
                    .append(isActive ? "" : "<button type=\"button\" class=\"use\" data-model=\"" + esc(m.name()) + "\" aria-label=\"Use "
                            + esc(m.name()) + "\">Use</button> ")
                    .append(m.provider().equals("local") ? "<button type=\"button\" class=\"delete danger\" data-model=\"" + esc(m.name())
                            + "\" aria-label=\"Delete " + esc(m.name()) + "\">Delete</button>" : "")
                    .append("</td></tr>");
        }
        s.append("</tbody></table><p id=\"models-message\" role=\"status\"></p>");
        // every download job, live: filled and kept current by app.js from /api/pulls
        s.append("<section id=\"downloads\" aria-labelledby=\"downloads-title\"><h2 id=\"downloads-title\">Downloads</h2>"
                + "<table id=\"downloads-table\" class=\"data\"><thead><tr><th>Model</th><th>State</th><th class=\"num\">Progress</th>"
                + "<th class=\"num\">Speed</th><th class=\"num\">ETA</th><th>Source</th><th>Actions</th></tr></thead><tbody></tbody></table>"
                + "<p id=\"downloads-empty\">No downloads yet: \"Pull a model…\" starts one.</p>"
                + "<p id=\"downloads-message\" role=\"status\"></p></section>");
        s.append("<dialog id=\"pull-dialog\" aria-labelledby=\"pull-title\"><form method=\"dialog\" id=\"pull-form\">"
                + "<h2 id=\"pull-title\">Pull a model</h2><label>From the catalog <select id=\"pull-catalog\"><option value=\"\">–</option>");
        paddock.pulls().catalog().search(null).forEach(e -> s.append("<option value=\"").append(esc(e.name())).append("\">")
                .append(esc(e.name())).append("</option>"));
        s.append("""
                </select></label>
                <fieldset id="hub"><legend>or search Hugging Face</legend>
                <input id="hub-q" type="search" placeholder="qwen3, gemma, or owner/repo" aria-label="Search Hugging Face for GGUF models">
                <button type="button" id="hub-search">Search</button>
                <ul id="hub-repos" aria-label="Repositories"></ul>
                <table id="hub-quants" class="data" hidden><caption id="hub-repo"></caption>
                <thead><tr><th>Quantisation</th><th>Size</th><th>Parts</th><th>Fits</th><th>Needs</th><th></th></tr></thead><tbody></tbody></table>
                <p id="hub-status" role="status" aria-live="polite"></p>
                </fieldset>
                <label>or a URL <input id="pull-url" type="text" placeholder="https://…/model.gguf, hf://owner/repo:QUANT or hf://owner/repo/file.gguf" size="50"></label>
                <label>Name (optional) <input id="pull-name" type="text" placeholder="family:tag"></label>
                <div class="toolbar"><button type="button" id="pull-start">Start</button>
                <button type="button" id="pull-pause" disabled>Pause</button><button type="button" id="pull-resume" disabled>Resume</button>
                <button type="button" id="pull-cancel" disabled>Cancel</button><button type="button" id="pull-close">Close</button></div>
                <progress id="pull-progress" max="100" value="0"></progress>
                <p id="pull-status" role="status" aria-live="polite"></p>
                <p id="pull-error" class="error" role="alert"></p>
                </form></dialog>
                """);
        return s.toString();
    }

    private String benchmarks(Context ctx) {
        String preset = ctx.queryParam("models") == null ? "" : ctx.queryParam("models");
        Set<String> chosen = Set.copyOf(Arrays.asList(preset.split(",")));
        StringBuilder s = new StringBuilder("<form id=\"bench-form\"><fieldset><legend>Models</legend>");
        for (InventoryRow m : paddock.inventory().list(false, w -> {})) {
            s.append("<label><input type=\"checkbox\" name=\"model\" value=\"").append(esc(m.name())).append("\"")
                    .append(chosen.contains(m.name()) ? " checked" : "").append("> ").append(esc(m.name())).append("</label> ");
        }
        s.append("""
                </fieldset>
                <label>Suite <select id="bench-suite"><option>speed</option><option>quality</option><option>all</option></select></label>
                <label>Repetitions <input id="bench-reps" type="number" min="1" max="100" value="3"></label>
                <label>Prompt tokens <input id="bench-prompt" type="text" value="128" size="8"></label>
                <label>Generated tokens <input id="bench-gen" type="number" min="2" value="64"></label>
                <button type="submit" id="bench-start">Start benchmark</button>
                <button type="button" id="bench-cancel" disabled>Cancel</button>
                </form>
                <progress id="bench-progress" max="1" value="0"></progress>
                <p id="bench-status" role="status" aria-live="polite"></p>
                <p id="bench-error" class="error" role="alert"></p>
                <pre id="bench-log"></pre>
                <div id="bench-charts" class="charts"></div>
                <h2>Recent runs</h2>
                <table id="runs" class="data" data-live="runs"><thead><tr><th>When</th><th>Model</th><th>Suite</th><th>Status</th><th>tg tok/s</th>
                <th>pp tok/s</th><th>TTFT ms</th><th>Engine</th></tr></thead><tbody>
                """);
        for (BenchRun r : paddock.benchRuns().history(null, 30)) {
            SpeedSummary sp = r.samples().isEmpty() ? null : SpeedSummary.of(r.model(), r.samples());
            s.append("<tr><td>").append(esc(r.startedAt().toString().substring(0, 19).replace('T', ' '))).append("</td><td>")
                    .append(esc(r.model())).append("</td><td>").append(esc(r.suite())).append("</td><td>").append(esc(r.status()))
                    .append(r.error() == null ? "" : " <span class=\"error\">" + esc(r.error()) + "</span>").append("</td><td class=\"num\">")
                    .append(sp == null ? "–" : Html.number(sp.tgMean(), "%.1f")).append("</td><td class=\"num\">")
                    .append(sp == null ? "–" : Html.number(sp.ppMean(), "%.1f")).append("</td><td class=\"num\">")
                    .append(sp == null ? "–" : Html.number(sp.ttftMean(), "%.1f")).append("</td><td>").append(esc(r.engine())).append("</td></tr>");
        }
        return s.append("</tbody></table>").toString();
    }

    private String compare(Context ctx) {
        String q = ctx.queryParam("models");
        List<String> models = q == null ? List.of() : Arrays.stream(q.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        StringBuilder s = new StringBuilder("<form id=\"compare-form\" method=\"get\" action=\"/compare\"><fieldset><legend>Models</legend>");
        for (InventoryRow m : paddock.inventory().list(false, w -> {})) {
            s.append("<label><input type=\"checkbox\" name=\"pick\" value=\"").append(esc(m.name())).append("\"")
                    .append(models.contains(m.name()) ? " checked" : "").append("> ").append(esc(m.name())).append("</label> ");
        }
        s.append("<input type=\"hidden\" name=\"models\" value=\"").append(esc(q == null ? "" : q))
                .append("\"></fieldset><button type=\"submit\">Compare</button></form>");
        if (models.isEmpty()) {
            return s.append("<p>Choose two or more models with benchmark runs.</p>").toString();
        }
        List<String> missing = new ArrayList<>();
        List<ComparisonRow> rows = paddock.comparisons().rows(models, missing);
        missing.forEach(m -> s.append("<p class=\"warning\">No benchmark run of ").append(esc(m)).append(" yet.</p>"));
        Map<String, List<String>> winners = Metric.allWinners(rows);
        s.append("<table id=\"compare\" class=\"data\"><caption>★ marks the best of each column</caption><thead><tr><th>Model</th>");
        for (Metric m : Metric.values()) {
            s.append("<th scope=\"col\">").append(esc(m.title())).append(" <small>(").append(esc(m.unit())).append(m.higherIsBetter() ? ", ↑" : ", ↓")
                    .append(")</small></th>");
        }
        s.append("<th>Context used</th></tr></thead><tbody>");
        for (ComparisonRow r : rows) {
            s.append("<tr data-model=\"").append(esc(r.model())).append("\"><th scope=\"row\">").append(esc(r.model())).append("</th>");
            for (Metric m : Metric.values()) {
                boolean best = winners.get(m.wire()).contains(r.model());
                String pattern = m == Metric.MEMORY || m == Metric.GPU_MEMORY || m == Metric.QUALITY ? "%.0f" : m == Metric.PRICE_IN || m == Metric.PRICE_OUT ? "%.2f" : "%.1f";
                s.append(best ? "<td class=\"num best\" data-metric=\"" + m.wire() + "\">★ " : "<td class=\"num\" data-metric=\"" + m.wire() + "\">")
                        .append(Html.number(m.value(r), pattern)).append("</td>");
            }
            s.append("<td>").append(Html.contextBar(r.contextUse(), r.contextColour())).append("</td></tr>");
        }
        s.append("</tbody></table><div class=\"charts\">");
        String list = esc(String.join(",", rows.stream().map(ComparisonRow::model).toList()));
        for (Metric m : List.of(Metric.TG, Metric.PP, Metric.TTFT, Metric.MEMORY)) {
            s.append(chart(m.chartData(rows)));
        }
        for (ComparisonRow r : rows) {
            s.append(chart(dev.paddock.compare.Comparisons.historyData(r.model(), paddock.bench().history(r.model(), 20))));
        }
        return s.append("</div>").toString();
    }

    private String hardware() {
        HardwareReport hw = HardwareReport.detect(SystemTool.PROCESS);
        StringBuilder s = new StringBuilder("<table id=\"hardware\" class=\"data\"><tbody>");
        row(s, "CPU", hw.cpu().model() + (hw.cpuMaxFrequencyHz() == null ? "" : String.format(Locale.ROOT, ", up to %.2f GHz",
                hw.cpuMaxFrequencyHz() / 1e9)));
        row(s, "Cores", hw.cpu().physicalCores() + " physical, " + hw.cpu().logicalCpus() + " logical"
                + (hw.containerCpus() == null ? "" : String.format(Locale.ROOT, " (container limit %.1f)", hw.containerCpus())));
        row(s, "Instruction sets", String.join(" ", hw.cpu().features()));
        row(s, "Memory", Html.bytes(hw.memory().totalBytes()) + " total, " + Html.bytes(hw.memory().availableBytes()) + " available"
                + (hw.memory().containerLimitBytes() == null ? "" : " (container limit " + Html.bytes(hw.memory().containerLimitBytes()) + ")"));
        row(s, "OS", hw.os());
        if (hw.gpus().isEmpty()) {
            row(s, "GPUs", "none found");
        }
        for (GpuInfo g : hw.gpus()) {
            row(s, "GPU " + g.index(), g.name() + " (" + g.vendor() + "), " + Html.bytes(g.memoryTotalBytes()) + ", "
                    + Html.bytes(g.memoryFreeBytes()) + " free");
        }
        hw.notes().forEach(n -> row(s, "Note", n));
        s.append("""
                </tbody></table><h2>Fit of local models</h2>
                <form id="fit-form"><label>Context (tokens) <input id="fit-context" type="number" min="16" step="1" placeholder="each model's default"
                inputmode="numeric"></label> <label>KV cache <select id="fit-kv"><option value="f16">f16</option><option value="q8_0">q8_0</option>
                <option value="q4_0">q4_0</option></select></label> <button type="submit">Estimate</button></form>
                <p id="fit-error" class="error" role="alert"></p>
                <p class="legend" aria-hidden="true"><span class="key weights"></span>weights <span class="key kv"></span>KV cache
                <span class="key compute"></span>compute <span class="key runtime"></span>runtime <span class="key projector"></span>vision projector
                <span class="key limit"></span>available</p>
                <table id="fit" class="data"><thead><tr><th>Model</th><th class="num">Needs</th><th class="num">Available</th><th>Memory</th>
                <th>Verdict</th><th class="num">Context</th><th class="num">Largest context</th><th class="num">Threads</th><th class="num">Batch</th>
                </tr></thead><tbody>""");
        GgufReader reader = new GgufReader();
        java.util.Optional<String> current = paddock.currentEngine(); // read once: it reads the engine store
        for (StoredModel m : paddock.store().list()) {
            try {
                var file = reader.read(paddock.store().blobPath(m));
                FitPlan p = FitPlan.plan(file.facts(), file, null, KvCacheType.F16, hw.memory(), hw.cpu(), hw.gpus(), // detected once above
                        m.projectorBytes());
                var engine = dev.paddock.engine.EngineVerdict.of(m.name().toString(), file.facts(), current);
                var fit = dev.paddock.hardware.FitReport.of(m.name().toString(), p, hw.memory(), List.of(), engine.runnable(), engine.engine());
                String report = PaddockServer.JSON.writeValueAsString(fit);
                s.append("<tr data-model=\"").append(esc(m.name())).append("\" data-fit=\"").append(esc(report)).append("\"><td>")
                        .append(esc(m.name())).append("</td><td class=\"num needs\">").append(Html.bytes(p.estimate().expectedBytes()))
                        .append("</td><td class=\"num available\">").append(Html.bytes(p.availableBytes())).append("</td><td class=\"bar\"></td><td class=\"verdict\">")
                        .append(esc(fit.verdict())).append("</td><td class=\"num context\">").append(p.estimate().context())
                        .append("</td><td class=\"num largest\">").append(p.largestContext()).append("</td><td class=\"num threads\">")
                        .append(p.threads()).append("</td><td class=\"num batch\">").append(p.batch()).append("</td></tr>");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            } catch (PaddockException e) {
                s.append("<tr><td>").append(esc(m.name())).append("</td><td colspan=\"8\" class=\"error\">").append(esc(e.getMessage()))
                        .append("</td></tr>");
            }
        }
        return s.append("</tbody></table>").toString();
    }

    private static void row(StringBuilder s, String k, String v) {
        s.append("<tr><th scope=\"row\">").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    private String registry() {
        StringBuilder s = new StringBuilder("""
                <section aria-labelledby="cost-title"><h2 id="cost-title">Cost calculator</h2>
                <form id="cost-form"><label>Input tokens per month <input id="cost-input" value="10M" size="8"></label>
                <label>Output tokens per month <input id="cost-output" value="2M" size="8"></label>
                <label>Requests per month <input id="cost-requests" type="number" min="0" placeholder="optional"></label>
                <label>Hardware price, USD <input id="cost-hardware" type="number" min="0" step="any" placeholder="for local models"></label>
                <label>over months <input id="cost-lifetime" type="number" min="1" max="600" value="36"></label>
                <button type="submit">Calculate</button></form>
                <p id="cost-error" class="error" role="alert"></p>
                <table id="cost" class="data"><thead><tr><th>Model</th><th>Per month</th><th>Per request</th><th>Basis</th></tr></thead>
                <tbody></tbody></table></section>
                <h2>Registry</h2>
                <table id="registry" class="data"><thead><tr><th>Model</th><th>Provider</th><th>Context</th><th>Capabilities</th>
                <th>$ / 1M in</th><th>$ / 1M out</th><th>Price as of</th></tr></thead><tbody>
                """);
        for (RegistryEntry e : paddock.registry().all().stream().filter(e -> e.cloud() && e.chat()).toList()) { // installed models: above
            s.append("<tr><td>").append(esc(e.id())).append("</td><td>").append(esc(e.provider())).append("</td><td class=\"num\">")
                    .append(Html.count(e.contextWindow())).append("</td><td>").append(esc(String.join(", ", e.capabilities())))
                    .append("</td><td class=\"num\">").append(e.price() == null ? "unknown" : Html.number(e.price().inputPerMillion(), "%.2f"))
                    .append("</td><td class=\"num\">").append(e.price() == null ? "unknown" : Html.number(e.price().outputPerMillion(), "%.2f"))
                    .append("</td><td>").append(e.price() == null ? "" : esc(e.price().asOf())).append("</td></tr>");
        }
        return s.append("</tbody></table>").toString();
    }

    private String recommend() {
        StringBuilder s = new StringBuilder("<form id=\"recommend-form\"><label>Task <select id=\"recommend-task\">");
        for (Task t : Task.values()) {
            s.append("<option>").append(t.wire()).append("</option>");
        }
        return s.append("""
                </select></label>
                <label>Budget per month ($) <input id="recommend-budget" type="number" min="0" step="any" placeholder="any"></label>
                <label><input id="recommend-local" type="checkbox"> local only</label>
                <button type="submit">Recommend</button></form>
                <p id="recommend-error" class="error" role="alert"></p>
                <table id="recommend" class="data"><thead><tr><th>#</th><th>Model</th><th>Score</th><th>Cost / month</th><th>Why</th>
                <th>Trade-offs</th></tr></thead><tbody></tbody></table>
                <div id="recommend-excluded"></div>
                """).toString();
    }

    private String status(Context ctx) {
        String range = ctx.queryParam("range") == null ? "24h" : ctx.queryParam("range");
        Duration window = switch (range) {
            case "1h" -> Duration.ofHours(1);
            case "7d" -> Duration.ofDays(7);
            case "30d" -> Duration.ofDays(30);
            default -> Duration.ofHours(24);
        };
        Instant now = paddock.clock().instant();
        ServingStatus.Report st = paddock.status().report(now.minus(window));
        // the page's figures follow new requests and model changes without a reload (app.js, /api/events)
        StringBuilder s = new StringBuilder("<div id=\"status-live\" data-live=\"requests models\"><table id=\"status\" class=\"data\"><tbody>");
        row(s, "Active model", st.activeModel() == null ? "none (choose one on the Models page)" : st.activeModel());
        if (st.activeModel() != null) {
            row(s, "Provider", st.provider());
            row(s, "State", st.state());
            row(s, "Uptime", st.uptimeSeconds() == null ? "–" : st.uptimeSeconds() + " s");
            row(s, "Memory", st.memoryBytes() == null ? "–" : Html.bytes(st.memoryBytes()) + " (peak " + Html.bytes(st.peakMemoryBytes()) + ")");
            row(s, "Requests", String.valueOf(st.requests()));
            row(s, "Error rate", String.format(Locale.ROOT, "%.1f%%", 100 * st.errorRate()));
            row(s, "Tokens/s (mean)", Html.number(st.meanTokensPerSecond(), "%.1f"));
        }
        s.append("</tbody></table><h2>Analytics</h2><form method=\"get\" action=\"/status\"><label>Range <select name=\"range\">");
        for (String r : List.of("1h", "24h", "7d", "30d")) {
            s.append("<option").append(r.equals(range) ? " selected" : "").append(">").append(r).append("</option>");
        }
        s.append("</select></label> <button type=\"submit\">Show</button></form>");
        Analytics.Report a = paddock.analytics().report(now.minus(window), now.plusMillis(1), null, 24);
        s.append("<table id=\"analytics\" class=\"data\"><thead><tr><th>Model</th><th>Provider</th><th>Requests</th><th>Error rate</th>"
                + "<th>p50 ms</th><th>p95 ms</th><th>Tokens/s</th><th>Tokens in / out</th><th>Tool calls</th><th>Structured</th><th>Cost</th>"
                + "</tr></thead><tbody>");
        for (Analytics.ModelFigures f : a.models()) {
            s.append("<tr><td>").append(esc(f.model())).append("</td><td>").append(esc(f.provider())).append("</td><td class=\"num\">")
                    .append(f.requests()).append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.1f%%", 100 * f.errorRate()))
                    .append("</td><td class=\"num\">").append(Html.number(f.p50LatencyMillis(), "%.0f")).append("</td><td class=\"num\">")
                    .append(Html.number(f.p95LatencyMillis(), "%.0f")).append("</td><td class=\"num\">")
                    .append(Html.number(f.meanTokensPerSecond(), "%.1f")).append("</td><td class=\"num\">").append(f.promptTokens())
                    .append(" / ").append(f.completionTokens()).append("</td><td class=\"num\">").append(f.toolCalls())
                    .append("</td><td class=\"num\">").append(f.structuredRequests()).append("</td><td class=\"num\">")
                    .append(f.costUsd() == null ? "unknown" : Html.number(f.costUsd(), "$%.4f")).append("</td></tr>");
        }
        s.append("</tbody></table><div class=\"charts\">");
        boolean none = a.series().stream().allMatch(b -> b.requests() == 0); // no requests yet: said, not drawn as a flat zero line
        s.append(chart(ChartData.time("Requests over the last " + range, "requests", true, none ? List.of() : a.series().stream()
                .map(b -> new ChartData.Point(null, b.start().getEpochSecond(), b.requests(), null)).toList())));
        s.append(chart(ChartData.time("Errors over the last " + range, "errors", true, none ? List.of() : a.series().stream()
                .map(b -> new ChartData.Point(null, b.start().getEpochSecond(), b.errors(), null)).toList())));
        s.append(chart(ChartData.time("Median latency over the last " + range, "ms", false, a.series().stream()
                .filter(b -> b.p50LatencyMillis() != null)
                .map(b -> new ChartData.Point(null, b.start().getEpochSecond(), b.p50LatencyMillis(), null)).toList())));
        return s.append("</div></div>").toString();
    }

    /** A chart drawn in the page by app.js (uPlot) from its data; the data's table stands in for it without JavaScript. */
    static String chart(ChartData data) {
        String json;
        try {
            json = PaddockServer.JSON.writeValueAsString(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return "<figure class=\"chart\" data-chart=\"" + esc(json) + "\"><figcaption>" + esc(data.title()) + "</figcaption></figure>";
    }
}
