package dev.paddock.server;

import dev.paddock.app.Paddock;
import dev.paddock.bench.BenchRun;
import dev.paddock.bench.BenchService;
import dev.paddock.bench.QualityBench;
import dev.paddock.bench.QualitySuite;
import dev.paddock.bench.SpeedSummary;
import dev.paddock.error.PaddockException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * /api/benchmarks: a plan (models × suites × settings) runs as one job; each model's run is stored as it
 * completes, a model that fails is recorded as failed and the plan goes on. Runs and history come from the
 * database, so CLI runs show up here too.
 */
final class BenchRoutes {
    static final String KIND = "benchmark";
    private final Paddock paddock;
    private final ApiRoutes api;
    private final JobBoard board;
    private final ExecutorService executor;
    /** Cancels asked of running plans; the plan's loop and each request in flight check its flag. */
    private final Map<String, java.util.concurrent.atomic.AtomicBoolean> cancels = new java.util.concurrent.ConcurrentHashMap<>();

    BenchRoutes(Paddock paddock, ApiRoutes api, JobBoard board, ExecutorService executor) {
        this.paddock = paddock;
        this.api = api;
        this.board = board;
        this.executor = executor;
    }

    /** What a plan runs; the same defaults as {@code paddock bench}. */
    record Plan(List<String> models, boolean speed, boolean quality, BenchService.Settings settings) {
        int requests() {
            return models.size() * settings.promptWords().size() * (1 + settings.repetitions());
        }
    }

    /** A stored run as lists show it ({@link #summary}). */
    private static final String RUN = "{id: string, model: string, provider: string, suite: string, status: string, error?: string,"
            + " startedAt: string, finishedAt?: string, engine?: string, quantization?: string, digest?: string, hardware?: string,"
            + " settings?: string, speed?: SpeedSummary, quality?: number}";

    void register() {
        api.post("/api/benchmarks", "benchmarks", "Starts a benchmark plan as a job",
                "{models: string[], suite?: speed|quality|all, reps?: integer, promptTokens?: integer[], genTokens?: integer, concurrency?: integer[],"
                        + " seed?: integer, engine?: string}", this::start)
                .returns("{id: string, plan: Plan, events: string}", Plan.class).status(202);
        api.get("/api/benchmarks/jobs", "benchmarks", "Benchmark jobs of this server", ctx -> ctx.json(board.jobs(KIND)))
                .returns(ApiRoutes.listOf(JobBoard.Job.class));
        api.get("/api/benchmarks/jobs/{id}", "benchmarks", "One benchmark job and its events so far (?after=SEQ for newer ones)", ctx -> {
            String id = ctx.pathParam("id");
            JobBoard.Job job = board.job(id).orElseThrow(() -> PaddockException.notFound("no benchmark job " + id));
            String after = ctx.queryParam("after");
            ctx.json(Map.of("job", job, "events", board.events(id, after == null ? 0 : RequestBody.wholeNumber(after))));
        }).returns("{job: Job, events: Event[]}", JobBoard.Job.class, JobBoard.Event.class);
        api.post("/api/benchmarks/jobs/{id}/cancel", "benchmarks", "Cancels a plan: the request in flight stops, what was measured is"
                + " kept, marked cancelled", null, this::cancel).returns("{id: string, state: string}").status(202);
        api.sse("/api/benchmarks/jobs/{id}/events", "benchmarks", "The job's events: plan, progress, run, failed, end",
                client -> Events.stream(board, client, client.ctx().pathParam("id")));
        api.get("/api/benchmarks/runs", "benchmarks", "Stored runs, newest first (?model=NAME, ?limit=N)", ctx -> {
            int limit = ctx.queryParam("limit") == null ? 50 : (int) Math.min(1000, Math.max(1, RequestBody.wholeNumber(ctx.queryParam("limit"))));
            ctx.json(paddock.benchRuns().history(ctx.queryParam("model") == null ? null : paddock.canonicalModel(ctx.queryParam("model")), limit).stream().map(this::summary).toList());
        }).returns(RUN + "[]", dev.paddock.bench.SpeedSummary.class);
        api.get("/api/benchmarks/runs/{id}", "benchmarks", "One stored run: samples, load tests, answers, resources", ctx -> {
            String id = ctx.pathParam("id");
            BenchRun run = paddock.benchRuns().find(id).orElseThrow(() -> PaddockException.notFound("no benchmark run " + id));
            Map<String, Object> body = new LinkedHashMap<>(summary(run));
            body.put("samples", run.samples());
            body.put("load", paddock.benchRuns().load(id));
            body.put("answers", paddock.benchRuns().answers(id));
            body.put("resources", paddock.benchRuns().resources(id));
            ctx.json(body);
        }).returns(RUN.substring(0, RUN.length() - 1) + ", samples: SpeedSample[], load: LoadResult[], answers: QualityAnswer[],"
                + " resources?: RunResources}", dev.paddock.bench.SpeedSummary.class, dev.paddock.bench.SpeedSample.class,
                dev.paddock.bench.LoadResult.class, dev.paddock.bench.QualityAnswer.class, dev.paddock.bench.RunResources.class);
        api.get("/api/benchmarks/runs/{id}/export", "benchmarks", "One stored run as a file (?format=csv|json)", ctx -> {
            String id = ctx.pathParam("id");
            BenchRun run = paddock.benchRuns().find(id).orElseThrow(() -> PaddockException.notFound("no benchmark run " + id));
            String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
            switch (format) {
                case "csv" -> ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition",
                        "attachment; filename=\"run-" + id + ".csv\"").result(dev.paddock.bench.RunCsv.of(List.of(run)));
                case "json" -> ctx.header("Content-Disposition", "attachment; filename=\"run-" + id + ".json\"").json(run);
                default -> throw PaddockException.invalidInput("format must be csv or json, not \"" + format + "\"");
            }
        }).returns(BenchRun.class).produces("text/csv");
        api.get("/api/history/<model>", "benchmarks", "A model's runs over time with their figures (?limit=N, default 10)", ctx -> {
            int limit = ctx.queryParam("limit") == null ? 10 : (int) Math.min(500, Math.max(1, RequestBody.wholeNumber(ctx.queryParam("limit"))));
            ctx.json(paddock.history(ctx.pathParam("model"), limit).stream().map(this::summary).toList());
        }).returns(RUN + "[]", dev.paddock.bench.SpeedSummary.class);
    }

    /** A run without its samples, with the figures a table needs. */
    private Map<String, Object> summary(BenchRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("model", r.model());
        m.put("provider", r.provider());
        m.put("suite", r.suite());
        m.put("status", r.status());
        m.put("error", r.error());
        m.put("startedAt", r.startedAt());
        m.put("finishedAt", r.finishedAt());
        m.put("engine", r.engine());
        m.put("quantization", r.quantization());
        m.put("digest", r.digest());
        m.put("hardware", r.hardware());
        m.put("settings", r.settings());
        m.put("speed", r.samples().isEmpty() ? null : SpeedSummary.of(r.model(), r.samples()));
        if (r.suite().startsWith("quality")) {
            var s = QualityBench.score(paddock.benchRuns().answers(r.id()));
            m.put("quality", Double.isNaN(s.overall()) ? null : s.overall());
        }
        return m;
    }

    private Plan plan(RequestBody b) {
        List<String> models = b.texts("models");
        if (models.isEmpty()) {
            throw PaddockException.invalidInput("\"models\" must name at least one model");
        }
        String suite = b.text("suite") == null ? "speed" : b.text("suite");
        if (!List.of("speed", "quality", "all").contains(suite)) {
            throw PaddockException.invalidInput("\"suite\" must be speed, quality or all, not \"" + suite + "\"");
        }
        int reps = orElse(b.integer("reps", 1, 100), 3);
        List<Integer> prompt = b.integers("promptTokens", 1, 100_000);
        int gen = orElse(b.integer("genTokens", 2, 100_000), 128);
        List<Integer> concurrency = b.integers("concurrency", 1, 256);
        Integer seed = b.integer("seed", 0, Integer.MAX_VALUE);
        for (String m : models) {
            paddock.providers().resolve(m, dev.paddock.provider.local.LocalProvider.NAME); // unknown names fail now, not in the job
        }
        String engine = b.text("engine");
        if (engine != null && !engine.equals(dev.paddock.runner.RunnerDefaults.Overrides.EMBEDDED)) {
            paddock.engines().store().require(engine); // an unknown engine is a 404 now, not a failed job
        }
        return new Plan(models, !suite.equals("quality"), !suite.equals("speed"), new BenchService.Settings(reps,
                prompt == null ? List.of(128) : prompt, gen, b.integer("threads", 1, 1024), b.integer("context", 64, 1 << 20),
                seed == null ? 42 : seed, concurrency, b.number("requestRate", 0.001, 10_000), engine));
    }

    private static int orElse(Integer v, int d) {
        return v == null ? d : v;
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        JobBoard.Job job = board.job(id).filter(j -> j.kind().equals(KIND))
                .orElseThrow(() -> PaddockException.notFound("no benchmark job " + id));
        var flag = cancels.get(id);
        if (flag == null || !job.state().equals("running")) {
            throw new PaddockException(dev.paddock.error.ErrorCode.CONFLICT, "benchmark job " + id + " is " + job.state()
                    + " and cannot be cancelled");
        }
        flag.set(true);
        ctx.status(202).json(Map.of("id", id, "state", "cancelling"));
    }

    private void start(Context ctx) {
        Plan plan = plan(RequestBody.of(ctx));
        String id = UUID.randomUUID().toString().substring(0, 8);
        cancels.put(id, new java.util.concurrent.atomic.AtomicBoolean());
        board.start(id, KIND, String.join(", ", plan.models()));
        board.publish(id, "plan", plan);
        executor.submit(() -> run(id, plan));
        ctx.status(202).json(Map.of("id", id, "plan", plan, "events", "/api/benchmarks/jobs/" + id + "/events"));
    }

    private void run(String id, Plan plan) {
        var cancelled = cancels.get(id);
        try {
            List<String> failures = new ArrayList<>();
            int step = 0;
            int steps = plan.models().size() * ((plan.speed() ? 1 : 0) + (plan.quality() ? 1 : 0));
            for (String model : plan.models()) {
                for (String suite : plan.quality() && plan.speed() ? List.of("quality", "speed") : List.of(plan.quality() ? "quality" : "speed")) {
                    if (cancelled.get()) {
                        board.finish(id, "cancelled", "cancelled; the runs measured so far are kept");
                        return;
                    }
                    publishStep(id, ++step, steps, model, suite);
                    try {
                        Consumer<String> progress = line -> board.publish(id, "progress", Map.of("model", model, "line", line));
                        BenchRun r = suite.equals("quality")
                                ? paddock.quality().run(model, QualitySuite.bundled(), paddock.grading(), plan.settings().seed(), progress,
                                        cancelled::get)
                                : paddock.bench().run(model, plan.settings(), progress, cancelled::get);
                        board.publish(id, "run", summary(r));
                        if (r.status().equals("failed")) {
                            failures.add(model + ": " + r.error());
                        }
                    } catch (RuntimeException e) {
                        failures.add(model + ": " + e.getMessage());
                        board.publish(id, "failed", Map.of("model", model, "error", String.valueOf(e.getMessage())));
                    }
                }
            }
            if (cancelled.get()) {
                board.finish(id, "cancelled", "cancelled; the runs measured so far are kept");
                return;
            }
            board.finish(id, failures.isEmpty() ? "done" : failures.size() == steps ? "failed" : "done",
                    failures.isEmpty() ? null : String.join("; ", failures));
        } catch (RuntimeException e) { // never a job stuck "running"
            board.finish(id, "failed", "internal error: " + e);
        } finally {
            cancels.remove(id);
        }
    }

    private void publishStep(String id, int step, int steps, String model, String suite) {
        board.publish(id, "step", Map.of("step", step, "steps", steps, "model", model, "suite", suite));
    }
}
