package dev.paddock.server;

import dev.paddock.app.Paddock;
import dev.paddock.engine.Backend;
import dev.paddock.engine.EngineService;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * /api/engines: the same engine list, install, test, use and remove as {@code paddock engine}; an install runs
 * as a job whose stages and build percent stream as events.
 */
final class EngineRoutes {
    static final String KIND = "engine";
    private final Paddock paddock;
    private final ApiRoutes api;
    private final JobBoard board;
    private final ExecutorService executor;

    EngineRoutes(Paddock paddock, ApiRoutes api, JobBoard board, ExecutorService executor) {
        this.paddock = paddock;
        this.api = api;
        this.board = board;
        this.executor = executor;
    }

    void register() {
        api.get("/api/engines", "engines", "Installed llama.cpp engines and the default", ctx -> ctx.json(listing()))
                .returns("{default?: string, engines: Engine[]}", dev.paddock.engine.Engine.class);
        api.post("/api/engines", "engines", "Installs an engine as a job (build, smoke test)",
                "{source?: string, backend?: cpu|cuda|vulkan, jobs?: integer, sha256?: string, force?: boolean}", this::install)
                .returns("{id: string, events: string}").status(202);
        api.get("/api/engines/jobs/{id}", "engines", "One install job and its events so far (?after=SEQ)", ctx -> {
            String id = ctx.pathParam("id");
            JobBoard.Job job = board.job(id).filter(j -> j.kind().equals(KIND))
                    .orElseThrow(() -> PaddockException.notFound("no engine install job " + id));
            String after = ctx.queryParam("after");
            ctx.json(Map.of("job", job, "events", board.events(id, after == null ? 0 : RequestBody.wholeNumber(after))));
        }).returns("{job: Job, events: Event[]}", JobBoard.Job.class, JobBoard.Event.class);
        api.sse("/api/engines/jobs/{id}/events", "engines", "The install's events: progress (stage, done, total), installed, end",
                client -> Events.stream(board, client, client.ctx().pathParam("id")));
        api.post("/api/engines/{id}/use", "engines", "Makes the engine the default (refused if its smoke test failed)", null,
                ctx -> ctx.json(paddock.engines().use(ctx.pathParam("id")))).returns(dev.paddock.engine.Engine.class);
        api.post("/api/engines/{id}/test", "engines", "Runs the engine's smoke test again", null,
                ctx -> ctx.json(paddock.engines().test(ctx.pathParam("id")))).returns(dev.paddock.engine.Engine.class);
        api.delete("/api/engines/{id}", "engines", "Removes an engine no loaded model uses", ctx -> {
            var next = paddock.engines().remove(ctx.pathParam("id"));
            ctx.json(Map.of("removed", ctx.pathParam("id"), "default", next.orElse("")));
        }).returns("{removed: string, default: string}");
    }

    private Map<String, Object> listing() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("default", paddock.engines().defaultId().orElse(null));
        m.put("engines", paddock.engines().list());
        return m;
    }

    private void install(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        String backend = b.text("backend");
        Integer jobs = b.integer("jobs", 1, 256);
        EngineService.InstallRequest r = new EngineService.InstallRequest(b.text("source"), b.text("sha256"),
                backend == null ? Backend.CPU : Backend.parse(backend), jobs == null ? Runtime.getRuntime().availableProcessors() : jobs,
                b.flag("force"));
        dev.paddock.engine.EngineSource.parse(r.source(), r.sha256()); // a bad source is a 400 now, not a failed job
        if (board.jobs(KIND).stream().anyMatch(j -> j.state().equals("running"))) {
            throw new PaddockException(ErrorCode.CONFLICT, "an engine install is already running; wait for it to finish");
        }
        String id = UUID.randomUUID().toString();
        board.start(id, KIND, r.source() == null ? "pinned llama.cpp" : r.source());
        executor.submit(() -> {
            try {
                EngineService.Installed done = paddock.engines().install(r, (stage, d, total) ->
                        board.publish(id, "progress", Map.of("stage", stage, "done", d, "total", total)));
                board.publish(id, "installed", Map.of("engine", done.engine(), "madeDefault", done.madeDefault()));
                board.finish(id, done.engine().usable() ? "done" : "failed",
                        done.engine().usable() ? null : "smoke test failed: " + done.engine().smokeTest().detail());
            } catch (PaddockException e) {
                board.finish(id, "failed", e.getMessage());
            } catch (RuntimeException e) {
                board.finish(id, "failed", "internal error: " + e);
            }
        });
        ctx.status(202).json(Map.of("id", id, "events", "/api/engines/jobs/" + id + "/events"));
    }
}
