package dev.paddock.server;

import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubModels;
import dev.paddock.hub.HubRef;
import dev.paddock.app.Paddock;
import dev.paddock.download.DownloadJob;
import dev.paddock.download.PullEvent;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * /api/pulls: downloads run as jobs off the request thread. Starting one answers once the source is
 * resolved (a bad name or URL is a 400 at once); its progress then streams as server-sent events and
 * is readable by polling. The job's state lives in the database, so CLI pulls show up here too.
 */
final class PullRoutes {
    static final String KIND = "pull";
    /** A job as the API shows it ({@link #view}). */
    private static final String JOB = "{id: string, name: string, source: string, state: string, sizeBytes?: integer, doneBytes: integer,"
            + " error?: string, updatedAt: string, stage?: string, bytesPerSecond?: number, etaSeconds?: number}";
    /** A job just started, with where its events stream. */
    private static final String STARTED = JOB.substring(0, JOB.length() - 1) + ", events: string}";
    private final Paddock paddock;
    private final ApiRoutes api;
    private final JobBoard board;
    private final ExecutorService executor;

    PullRoutes(Paddock paddock, ApiRoutes api, JobBoard board, ExecutorService executor) {
        this.paddock = paddock;
        this.api = api;
        this.board = board;
        this.executor = executor;
    }

    void register() {
        api.get("/api/catalog", "pulls", "Models that can be pulled by name (?q=term)", ctx -> {
            String q = ctx.queryParam("q");
            ctx.json(paddock.pulls().catalog().search(q));
        }).returns(ApiRoutes.listOf(dev.paddock.catalog.CatalogEntry.class));
        api.get("/api/hub/search", "pulls", "Hugging Face repositories with GGUF files, most downloaded first (?q=term&limit=20)", ctx -> {
            String q = ctx.queryParam("q");
            if (q == null || q.isBlank()) {
                throw PaddockException.invalidInput("\"q\" is required: what to search for");
            }
            int limit = ctx.queryParam("limit") == null ? 20 : (int) RequestBody.wholeNumber(ctx.queryParam("limit"));
            if (limit < 1 || limit > 100) {
                throw PaddockException.invalidInput("\"limit\" must be from 1 to 100");
            }
            try (HubClient hub = new HubClient(paddock.env())) {
                ctx.json(new HubModels(hub, paddock.store().layout().tmp()).search(q.strip(), limit));
            }
        }).returns(ApiRoutes.listOf(HubClient.Repo.class));
        api.get("/api/hub/repo", "pulls", "A repository's GGUF quantisations: size, parts, SHA-256, fit, the best that fits"
                + " (?repo=OWNER/REPO[@REV]&context=N&kv=f16)", ctx -> {
            String repo = ctx.queryParam("repo");
            if (repo == null || repo.isBlank()) {
                throw PaddockException.invalidInput("\"repo\" is required: OWNER/REPO");
            }
            Integer context = ctx.queryParam("context") == null ? null : (int) RequestBody.wholeNumber(ctx.queryParam("context"));
            KvCacheType kv = KvCacheType.parse(ctx.queryParam("kv") == null ? "f16" : ctx.queryParam("kv"));
            try (HubClient hub = new HubClient(paddock.env())) {
                ctx.json(new HubModels(hub, paddock.store().layout().tmp()).list(HubRef.parse(repo.strip()), context, kv,
                        SystemMemory.detect(), CpuTopology.detect()));
            }
        }).returns(HubModels.Listing.class);
        api.post("/api/pulls", "pulls", "Starts a pull of a catalog name, an https URL, hf://owner/repo[:QUANT] or hf://owner/repo/file.gguf",
                "{source: string, name?: string, sha256?: string, replace?: boolean, mmproj?: boolean}", this::start)
                .returns(STARTED).status(202);
        api.get("/api/pulls", "pulls", "Every download job, newest first", ctx -> ctx.json(paddock.pulls().jobs().stream().map(this::view).toList()))
                .returns(JOB + "[]");
        api.get("/api/pulls/{id}", "pulls", "One job with its latest progress (speed, ETA)", ctx -> ctx.json(viewOf(ctx.pathParam("id"))))
                .returns(JOB);
        api.post("/api/pulls/{id}/pause", "pulls", "Pauses a job; the data so far is kept", null,
                ctx -> ctx.json(view(paddock.pulls().pause(ctx.pathParam("id"))))).returns(JOB);
        api.post("/api/pulls/{id}/resume", "pulls", "Resumes a paused, failed or interrupted job", null, this::resume)
                .returns(STARTED).status(202);
        api.post("/api/pulls/{id}/cancel", "pulls", "Cancels a job and removes its partial data", null,
                ctx -> ctx.json(view(paddock.pulls().cancel(ctx.pathParam("id"))))).returns(JOB);
        api.sse("/api/pulls/{id}/events", "pulls", "The job's events as server-sent events: started, progress, notice, done, stopped, end",
                client -> { // the board first: a job just started may not be in the database yet
                    String id = client.ctx().pathParam("id");
                    Events.stream(board, client, board.job(id).isPresent() ? id : paddock.pulls().job(id).id());
                });
    }

    private void start(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        String source = b.requiredText("source").strip();
        String name = b.text("name");
        String sha = b.text("sha256");
        boolean replace = b.flag("replace");
        boolean projector = !b.has("mmproj") || b.flag("mmproj"); // a repository's vision projector comes along unless refused
        launch(ctx, null, events -> paddock.pulls().pull(source, name, sha, replace, projector, events));
    }

    private void resume(Context ctx) {
        String id = paddock.pulls().job(ctx.pathParam("id")).id();
        launch(ctx, id, events -> paddock.pulls().resume(id, events)); // followed under the id the client knows
    }

    /**
     * Runs the pull on a job thread; answers 202 with the job once it has an id, or the error that stopped it first.
     * A pull of several files (a split model's parts, a projector) is several jobs: the pull's id ({@code pullId}, or
     * its first job's) hears all their events and ends when the pull does, so a client follows one id to the end.
     */
    private void launch(Context ctx, String pullId, java.util.function.Function<Consumer<PullEvent>, DownloadJob> pull) {
        CompletableFuture<String> first = new CompletableFuture<>();
        String[] id = {pullId, null}; // the pull's id, and its job now
        Consumer<PullEvent> events = e -> {
            synchronized (id) {
                if (id[1] == null) {
                    id[0] = id[0] == null ? e.jobId() : id[0];
                    board.start(id[0], KIND, "pull");
                    first.complete(id[0]);
                }
                if (!e.jobId().equals(id[1])) {
                    if (id[1] != null && !id[1].equals(id[0])) {
                        board.finish(id[1], DownloadJob.State.DONE.wire(), null); // a pull moves on once a job's file is verified
                    }
                    if (!e.jobId().equals(id[0])) {
                        board.start(e.jobId(), KIND, "pull"); // each job can be followed on its own too
                    }
                    id[1] = e.jobId();
                }
            }
            board.publish(e.jobId(), type(e), e);
            if (!e.jobId().equals(id[0])) {
                board.publish(id[0], type(e), e);
            }
        };
        executor.submit(() -> {
            try {
                DownloadJob done = pull.apply(events);
                board.finish(done.id(), done.state().wire(), done.error());
                String whole;
                synchronized (id) {
                    whole = id[0];
                }
                if (whole != null && !whole.equals(done.id())) {
                    board.finish(whole, done.state().wire(), done.error());
                }
            } catch (PaddockException e) {
                if (!first.completeExceptionally(e)) {
                    finishFailed(id, e.getMessage());
                }
            } catch (RuntimeException e) {
                if (!first.completeExceptionally(e)) {
                    finishFailed(id, "internal error: " + e);
                }
            }
        });
        String jobId;
        try {
            jobId = first.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PaddockException p) {
                throw p;
            }
            throw new PaddockException(ErrorCode.INTERNAL, "the pull failed to start: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the pull did not start within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted", e);
        }
        Map<String, Object> body = new LinkedHashMap<>(viewOf(jobId));
        body.put("events", "/api/pulls/" + jobId + "/events");
        ctx.status(202).json(body);
    }

    private void finishFailed(String[] id, String error) {
        String whole;
        String now;
        synchronized (id) {
            whole = id[0];
            now = id[1];
        }
        if (now != null && !now.equals(whole)) {
            board.finish(now, DownloadJob.State.FAILED.wire(), error);
        }
        board.finish(whole, DownloadJob.State.FAILED.wire(), error);
    }

    private static String type(PullEvent e) {
        return switch (e) {
            case PullEvent.Started s -> "started";
            case PullEvent.Progress p -> "progress";
            case PullEvent.Notice n -> "notice";
            case PullEvent.Done d -> "done";
            case PullEvent.Stopped s -> "stopped";
        };
    }

    /**
     * A job by id: the stored one, or one this server has started that is not stored yet ("starting": its first event,
     * which the 202 answers, comes before its row is written), so the id a 202 answered can be read at once.
     */
    private Map<String, Object> viewOf(String id) {
        try {
            return view(paddock.pulls().job(id));
        } catch (PaddockException e) {
            Optional<JobBoard.Job> started = e.code() == ErrorCode.NOT_FOUND ? board.job(id) : Optional.empty();
            if (started.isEmpty()) {
                throw e;
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", id);
            v.put("state", started.get().state().equals("running") ? "starting" : started.get().state());
            v.put("error", started.get().error());
            return v;
        }
    }

    /** The stored job, with the live progress of a transfer this server runs. */
    private Map<String, Object> view(DownloadJob j) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", j.id());
        v.put("name", j.name());
        v.put("source", j.source());
        v.put("state", j.displayState());
        v.put("sizeBytes", j.sizeBytes());
        v.put("doneBytes", j.doneBytes());
        v.put("error", j.error());
        v.put("updatedAt", j.updatedAt());
        // a job this server ran that ended while the database could not record it (a full disk): the board knows
        board.job(j.id()).filter(b -> !b.state().equals("running") && DownloadJob.State.ACTIVE.contains(j.state()) && !j.interrupted())
                .ifPresent(b -> {
                    v.put("state", b.state());
                    v.put("error", b.error());
                });
        board.job(j.id()).map(JobBoard.Job::last).filter(e -> e.data() instanceof PullEvent.Progress).ifPresent(e -> {
            PullEvent.Progress p = (PullEvent.Progress) e.data();
            if (!j.state().finished()) {
                v.put("doneBytes", Math.max(j.doneBytes(), p.doneBytes()));
            }
            v.put("stage", p.stage());
            v.put("bytesPerSecond", p.bytesPerSecond());
            v.put("etaSeconds", p.eta() == null ? null : p.eta().toMillis() / 1000.0);
        });
        return v;
    }
}
