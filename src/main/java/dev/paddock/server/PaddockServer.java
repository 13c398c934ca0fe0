package dev.paddock.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.paddock.app.Paddock;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code paddock serve}: one Javalin server with the REST API under /api, the OpenAI-compatible gateway under
 * /v1, server-sent events for jobs, and the dashboard at /. Handlers are thin: they parse, call the same
 * services the CLI calls, and render JSON or HTML. Errors are JSON with the status of their {@link ErrorCode};
 * a stack trace goes to the server's log, never to a client.
 */
public final class PaddockServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaddockServer.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                    .addSerializer(dev.paddock.model.ModelName.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance)
                    .addSerializer(dev.paddock.model.Digest.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    static {
        // an image's base64 is one string: Jackson's own cap (20 million characters) would make a body within
        // server.max_body_kb "not valid JSON"; the body limit is the cap
        JSON.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).build());
    }

    private final Javalin app;
    private final ExecutorService jobs;
    private final String host;
    private final Javalin ollama;
    private final ChangeFeed changes;

    private PaddockServer(Javalin app, ExecutorService jobs, String host, Javalin ollama, ChangeFeed changes) {
        this.app = app;
        this.jobs = jobs;
        this.host = host;
        this.ollama = ollama;
        this.changes = changes;
    }

    /** Starts the server; {@code log} receives the lines a user should see (where it listens). */
    public static PaddockServer start(Paddock paddock, ServerSettings settings, String version, Consumer<String> log) {
        settings.check();
        ExecutorService jobs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("paddock-job-", 0).factory());
        JobBoard board = new JobBoard(paddock.clock());
        AccessToken token = settings.token() == null ? null : new AccessToken(settings.token());
        RequestGuard guard = new RequestGuard(settings);
        ChangeFeed changes = new ChangeFeed(paddock);
        Javalin app = Javalin.create(config -> {
            var r = configure(config, settings, guard, token, ApiError::send);
            ApiRoutes api = new ApiRoutes(r);
            new ModelRoutes(paddock, api).register();
            new PullRoutes(paddock, api, board, jobs).register();
            new BenchRoutes(paddock, api, board, jobs).register();
            new EngineRoutes(paddock, api, board, jobs).register();
            new InsightRoutes(paddock, api).register();
            new ServingRoutes(paddock, api).register();
            Gateway gateway = new Gateway(paddock, api);
            gateway.register();
            new AnthropicMessages(paddock, api, gateway::model).register();
            api.get("/api/openapi.json", "meta", "This document", ctx -> ctx.json(OpenApiDocument.build(api.documented(), version)))
                    .returns("{openapi: string, info: any, paths: any, components: any, security: any[]}");
            ApiDocs docs = new ApiDocs();
            api.get("/api/docs", "meta", "This document for people: Swagger UI (HTML)", docs::page).produces("text/html");
            api.get("/api/docs/{file}", "meta", "Swagger UI's own scripts and styles", docs::file).produces("text/javascript");
            api.sse("/api/events", "meta", "What the dashboard's pages show live: a change event naming its topic (models, runs, requests,"
                    + " engines) whenever one changes, by this server or another Paddock process", changes::stream);
            new Dashboard(paddock, r, version, changes).register();
        });
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            jobs.shutdownNow();
            changes.close();
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof java.net.BindException) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "cannot listen on " + settings.host() + ":" + settings.port()
                            + ": the port is in use (another paddock serve, or another program); choose another with --port", e);
                }
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PaddockException(ErrorCode.UNAVAILABLE, "cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + cause.getMessage(), e);
        }
        Javalin ollama = null;
        if (settings.ollamaPort() != null) {
            try {
                ollama = OllamaApi.start(paddock, settings, guard, token, version);
            } catch (RuntimeException e) {
                app.stop();
                jobs.shutdownNow();
                changes.close();
                throw e;
            }
        }
        PaddockServer server = new PaddockServer(app, jobs, settings.host(), ollama, changes);
        log.accept("Paddock " + version + " listening on " + server.url() + " (API /api, OpenAI gateway /v1"
                + (settings.token() != null ? ", token required" : "") + ")");
        if (ollama != null) {
            log.accept("Ollama's API on http://" + hostForUrl(settings.host()) + ":" + ollama.port() + "/ (/api/chat, /api/tags, …)");
        }
        return server;
    }

    /** Writes an error in one API's shape (Paddock's and OpenAI's, or Ollama's). */
    @FunctionalInterface
    interface ErrorWriter {
        void send(io.javalin.http.Context ctx, int status, String code, String message);
    }

    /** A message that quotes what a client sent (a name, a path) quotes at most its start: a body may be megabytes. */
    static String bounded(String message) {
        int max = 600;
        return message == null || message.length() <= max ? message
                : message.substring(0, max) + "… (" + (message.length() - max) + " more characters)";
    }

    /** Compiled once: the check runs on every request. */
    private static final java.util.regex.Pattern CONTENT_LENGTH = java.util.regex.Pattern.compile("\\d{1,18}");

    /**
     * What every port of the server shares: JSON, the body limit, CORS, the Host/Origin guard and the token, and
     * errors as JSON with their status (a stack trace only in the server's log).
     */
    static io.javalin.config.RoutesConfig configure(io.javalin.config.JavalinConfig config, ServerSettings settings, RequestGuard guard,
            AccessToken token, ErrorWriter writer) {
        ErrorWriter errors = (ctx, status, code, message) -> writer.send(ctx, status, code, bounded(message));
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.jsonMapper(new JavalinJackson(JSON, false));
        config.router.ignoreTrailingSlashes = true;
        if (!settings.corsOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> settings.corsOrigins().forEach(o -> rule.allowHost(o))));
        }
        var r = config.routes;
        r.before(ctx -> {
            guard.check(ctx);
            if (token != null && !ctx.method().name().equals("OPTIONS") && !token.allows(ctx)) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new PaddockException(ErrorCode.UNAUTHORIZED, "missing or wrong access token: send Authorization: Bearer TOKEN");
            }
            String length = ctx.header("Content-Length");
            if (length != null && CONTENT_LENGTH.matcher(length).matches() && Long.parseLong(length) > settings.maxBodyBytes()) {
                throw new PaddockException(ErrorCode.TOO_LARGE, "the request body (" + length + " bytes) is larger than "
                        + settings.maxBodyBytes() + " bytes (server.max_body_kb)");
            }
        });
        r.exception(PaddockException.class, (e, ctx) -> {
            if (e.code() == ErrorCode.INTERNAL) {
                LOG.error("{} {}: {}", ctx.method(), ctx.path(), e.getMessage(), e);
            }
            errors.send(ctx, e.code().httpStatus(), e.code().wireName(), e.getMessage());
        });
        r.exception(HttpResponseException.class, (e, ctx) -> {
            switch (e.getStatus()) {
                case 404 -> errors.send(ctx, 404, ErrorCode.NOT_FOUND.wireName(), "no route " + ctx.method() + " " + ctx.path()
                        + "; the API is described at /api/openapi.json");
                case 413 -> errors.send(ctx, 413, ErrorCode.TOO_LARGE.wireName(), "the request body is larger than " + settings.maxBodyBytes()
                        + " bytes (server.max_body_kb)");
                default -> errors.send(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage());
            }
        });
        r.exception(Exception.class, (e, ctx) -> {
            String path;
            try {
                path = ctx.path();
            } catch (RuntimeException recycled) { // a response finished after the server stopped: nothing to answer
                LOG.debug("a request ended after the server stopped", e);
                return;
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.eclipse.jetty.http.HttpException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
                    // a body cut short (its Content-Length not reached before the client closed) or malformed on the wire
                    LOG.info("{} {}: the request body was incomplete ({})", ctx.method(), path, t.getMessage());
                    String length = ctx.header("Content-Length");
                    errors.send(ctx, bad.getCode(), ErrorCode.INVALID_INPUT.wireName(), (length == null ? "the request body ended early"
                            : "the request body ended before its Content-Length (" + length + " bytes)") + ": send the whole body");
                    return;
                }
                if (t instanceof org.eclipse.jetty.io.EofException) { // the client went away mid-answer: nobody to answer
                    LOG.info("{} {}: the client closed the connection before the answer was done", ctx.method(), path);
                    return;
                }
            }
            LOG.error("{} {} failed", ctx.method(), path, e);
            errors.send(ctx, 500, ErrorCode.INTERNAL.wireName(), "internal error (" + e.getClass().getSimpleName() + "); see the server's log");
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                errors.send(ctx, 404, ErrorCode.NOT_FOUND.wireName(), "no route " + ctx.method() + " " + ctx.path()
                        + "; the API is described at /api/openapi.json");
            }
        });
        r.error(405, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                errors.send(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path());
            }
        });
        return r;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public int port() {
        return app.port();
    }

    /** Where it listens, as a URL ({@code http://127.0.0.1:7700/}). */
    public String url() {
        return "http://" + hostForUrl(host) + ":" + app.port() + "/";
    }

    /** "GET /api/models", … for every HTTP route the router holds (for the documentation test). */
    public List<String> registeredRoutes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(p -> p.endpoint.method.name() + " " + p.endpoint.path).toList();
    }

    /** The port of the Ollama-compatible API; empty when server.ollama_port is not set. */
    public java.util.OptionalInt ollamaPort() {
        return ollama == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(ollama.port());
    }

    @Override
    public void close() {
        if (ollama != null) {
            ollama.stop();
        }
        changes.close(); // first: its pages' streams end while their requests are still live
        app.stop();
        jobs.shutdownNow();
    }
}
