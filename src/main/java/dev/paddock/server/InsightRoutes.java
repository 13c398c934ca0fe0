package dev.paddock.server;

import dev.paddock.app.Paddock;
import dev.paddock.compare.ComparisonRow;
import dev.paddock.compare.Comparisons;
import dev.paddock.compare.Metric;
import dev.paddock.cost.CostCalculator;
import dev.paddock.cost.CostEstimate;
import dev.paddock.cost.TokenCount;
import dev.paddock.error.PaddockException;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.FitPlan;
import dev.paddock.hardware.FitReport;
import dev.paddock.hardware.GpuProbe;
import dev.paddock.hardware.HardwareReport;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.hardware.SystemTool;
import dev.paddock.model.ModelName;
import dev.paddock.recommend.Recommender;
import dev.paddock.recommend.Task;
import dev.paddock.store.ModelStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only answers: hardware, fit, registry, cost, recommendations, comparisons and their charts. */
final class InsightRoutes {
    private final Paddock paddock;
    private final ApiRoutes api;

    InsightRoutes(Paddock paddock, ApiRoutes api) {
        this.paddock = paddock;
        this.api = api;
    }

    void register() {
        api.get("/api/hardware", "hardware", "CPU, memory, GPUs and container limits of this machine",
                ctx -> ctx.json(HardwareReport.detect(SystemTool.PROCESS))).returns(HardwareReport.class);
        api.get("/api/fit/<model>", "hardware", "Whether a local model fits, with recommended threads, batch, context and GPU layers"
                + " (?context=N, ?kv=f16|q8_0|q4_0)", this::fit).returns(FitReport.class);
        api.get("/api/registry", "registry", "Known models: context windows, capabilities, prices (?provider=, ?capability=)",
                ctx -> ctx.json(paddock.registry().filter(ctx.queryParam("provider"), ctx.queryParam("capability"))))
                .returns(ApiRoutes.listOf(dev.paddock.registry.RegistryEntry.class));
        api.post("/api/registry/update", "registry", "Fetch current prices and limits in LiteLLM's format (default: the setting "
                + "registry.url); what changed", "{url?: string}", ctx -> {
                    String url = RequestBody.of(ctx).text("url");
                    if (url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
                        // a path would let a client read the server's files; the CLI takes files
                        throw PaddockException.invalidInput("\"url\" must be an http:// or https:// URL");
                    }
                    ctx.json(paddock.updateRegistry(url));
                }).returns(dev.paddock.registry.RegistryUpdate.Result.class);
        api.post("/api/cost", "registry", "Monthly cost per model for a usage", "{models?: string[], input: string, output: string, cached?: string,"
                + " requests?: integer, hardwarePrice?: number, lifetimeMonths?: integer}", this::cost)
                .returns("{usage: Usage, perMonth: CostEstimate[]}", dev.paddock.cost.CostCalculator.Usage.class, CostEstimate.class);
        api.post("/api/recommend", "registry", "Models ranked for a task and constraints, with reasons and trade-offs",
                "{task: string, budget?: number, maxTtftMillis?: number, minTokensPerSecond?: number,"
                        + " localOnly?: boolean, input?: string, output?: string}", this::recommend)
                .returns("{task: string, ranked: Recommendation[], excluded: string[]}", dev.paddock.recommend.Recommendation.class);
        api.get("/api/compare", "compare", "Side by side: each model's latest figures, the winner of each column (?models=a,b)", this::compare)
                .returns("{rows: {model: string, " + Arrays.stream(Metric.values()).map(m -> m.wire() + "?: number, ")
                        .collect(java.util.stream.Collectors.joining()) + "tgSd?: number, ppSd?: number, contextUse?: number,"
                        + " contextColour?: string}[], winners: any, missing: string[],"
                        + " metrics: {id: string, title: string, unit: string, higherIsBetter: boolean}[]}");
        api.get("/api/compare/chart", "compare", "An SVG bar chart of one column (?models=a,b&metric=tg|pp|ttft|itl_p99|e2e|memory|quality);"
                + " &format=json: its data (this schema)", this::chart).returns(dev.paddock.compare.ChartData.class).produces("image/svg+xml");
        api.get("/api/charts/history/<model>", "compare", "An SVG line chart of a model's generation speed over its runs; ?format=json: its"
                + " data, each run at its epoch second", ctx -> {
            String model = ctx.pathParam("model");
            List<dev.paddock.bench.BenchRun> runs = paddock.history(model, 20);
            if (json(ctx)) {
                ctx.json(Comparisons.historyData(model, runs));
                return;
            }
            ctx.contentType("image/svg+xml").result(Comparisons.historyChart(model, runs));
        }).returns(dev.paddock.compare.ChartData.class).produces("image/svg+xml");
    }

    private void fit(Context ctx) {
        ModelStore.Details d = paddock.store().show(ModelName.parse(ctx.pathParam("model")));
        Integer context = ctx.queryParam("context") == null ? null : (int) RequestBody.wholeNumber(ctx.queryParam("context"));
        KvCacheType kv = KvCacheType.parse(ctx.queryParam("kv") == null ? "f16" : ctx.queryParam("kv"));
        List<String> notes = new ArrayList<>();
        var gpus = GpuProbe.detect(SystemTool.PROCESS, System.getProperty("os.name"), notes::add);
        SystemMemory memory = SystemMemory.detect();
        FitPlan plan = FitPlan.plan(d.file().facts(), d.file(), context, kv, memory, CpuTopology.detect(), gpus, d.model().projectorBytes());
        var engine = dev.paddock.engine.EngineVerdict.of(d.model().name().toString(), d.file().facts(), paddock.currentEngine());
        ctx.json(FitReport.of(d.model().name().toString(), plan, memory, notes, engine.runnable(), engine.engine()));
    }

    private void cost(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        List<String> models = b.texts("models");
        CostCalculator.Usage usage = new CostCalculator.Usage(tokens(b, "input"), tokens(b, "output"), tokens(b, "cached"),
                b.integer("requests", 0, Integer.MAX_VALUE) == null ? null : (long) b.integer("requests", 0, Integer.MAX_VALUE));
        Double price = b.number("hardwarePrice", 0, 1e9);
        Integer life = b.integer("lifetimeMonths", 1, 600);
        CostCalculator.Hardware hw = price == null ? null : new CostCalculator.Hardware(price, life == null ? 36 : life);
        CostCalculator calc = paddock.costCalculator();
        List<String> chosen = models;
        if (chosen.isEmpty()) { // the installed models, then the cloud models one could call instead
            chosen = new ArrayList<>(paddock.store().list().stream().map(m -> m.name().toString()).toList());
            paddock.registry().all().stream().filter(e -> e.cloud() && e.chat()).map(dev.paddock.registry.RegistryEntry::id).forEach(chosen::add);
        }
        List<CostEstimate> rows = new ArrayList<>(calc.estimate(chosen, usage, hw));
        rows.sort(Comparator.comparing(CostEstimate::perPeriod, Comparator.nullsLast(Comparator.naturalOrder())));
        ctx.json(Map.of("usage", usage, "perMonth", rows));
    }

    private static long tokens(RequestBody b, String field) {
        var n = b.json().get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (n.isIntegralNumber() && n.asLong() >= 0) {
            return n.asLong();
        }
        if (n.isTextual()) {
            return TokenCount.parse(n.asText());
        }
        throw PaddockException.invalidInput("\"" + field + "\" must be a token count such as 2000000 or \"2M\"");
    }

    private void recommend(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        Task task = Task.parse(b.text("task") == null ? "chat" : b.text("task"));
        var usage = new CostCalculator.Usage(b.json().has("input") ? tokens(b, "input") : 10_000_000,
                b.json().has("output") ? tokens(b, "output") : 2_000_000, 0, null);
        var constraints = new Recommender.Constraints(b.number("budget", 0, 1e9), b.number("maxTtftMillis", 0, 1e9),
                b.number("minTokensPerSecond", 0, 1e9), b.flag("localOnly"));
        Recommender.Result r = Recommender.rank(task, paddock.candidates().gather(usage), constraints);
        ctx.json(Map.of("task", task.wire(), "ranked", r.ranked(), "excluded", r.excluded()));
    }

    private List<String> models(Context ctx) {
        String q = ctx.queryParam("models");
        List<String> models = q == null ? List.of() : Arrays.stream(q.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (models.isEmpty()) {
            throw PaddockException.invalidInput("name the models to compare: ?models=a,b");
        }
        return models;
    }

    private void compare(Context ctx) {
        List<String> missing = new ArrayList<>();
        List<ComparisonRow> rows = paddock.comparisons().rows(models(ctx), missing);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ComparisonRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model());
            for (Metric metric : Metric.values()) {
                m.put(metric.wire(), metric.value(r));
            }
            m.put("tgSd", r.speed() == null ? null : r.speed().tgSd());
            m.put("ppSd", r.speed() == null ? null : r.speed().ppSd());
            m.put("contextUse", r.contextUse());
            m.put("contextColour", r.contextColour());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rows", out);
        body.put("winners", Metric.allWinners(rows));
        body.put("missing", missing);
        body.put("metrics", Arrays.stream(Metric.values()).map(m -> Map.of("id", m.wire(), "title", m.title(), "unit", m.unit(),
                "higherIsBetter", m.higherIsBetter())).toList());
        ctx.json(body);
    }

    private void chart(Context ctx) {
        Metric metric = Metric.parse(ctx.queryParam("metric") == null ? "tg" : ctx.queryParam("metric"));
        List<ComparisonRow> rows = paddock.comparisons().rows(models(ctx), new ArrayList<>());
        if (json(ctx)) {
            ctx.json(metric.chartData(rows));
            return;
        }
        ctx.contentType("image/svg+xml").result(metric.chart(rows));
    }

    /** Whether a chart is asked for as its data ({@code ?format=json}) rather than as an SVG image. */
    private static boolean json(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json") && !format.equals("svg")) {
            throw PaddockException.invalidInput("\"format\" is json or svg, not \"" + format + "\"");
        }
        return "json".equals(format);
    }
}
