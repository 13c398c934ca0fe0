package dev.paddock.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Registers the API's routes and remembers what each does, so the OpenAPI document is made from the very
 * list the router holds (a test checks that no route bypasses it).
 */
final class ApiRoutes {
    /** @param body what the request body holds (null: none); @param stream whether it answers with server-sent events */
    record Route(String method, String path, String tag, String summary, String body, boolean stream) {}

    private final RoutesConfig routes;
    private final List<Route> documented = new ArrayList<>();

    ApiRoutes(RoutesConfig routes) {
        this.routes = routes;
    }

    void get(String path, String tag, String summary, Handler h) {
        documented.add(new Route("get", path, tag, summary, null, false));
        routes.get(path, h);
    }

    void post(String path, String tag, String summary, String body, Handler h) {
        documented.add(new Route("post", path, tag, summary, body, false));
        routes.post(path, h);
    }

    void delete(String path, String tag, String summary, Handler h) {
        documented.add(new Route("delete", path, tag, summary, null, false));
        routes.delete(path, h);
    }

    void sse(String path, String tag, String summary, Consumer<SseClient> client) {
        documented.add(new Route("get", path, tag, summary, null, true));
        routes.sse(path, client);
    }

    List<Route> documented() {
        return List.copyOf(documented);
    }
}
