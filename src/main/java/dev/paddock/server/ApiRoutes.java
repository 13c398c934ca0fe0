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
    /**
     * @param body what the request body holds (null: none), as a mini-signature ({@code {name: string, replace?: boolean}})
     *     or in words
     * @param stream whether it answers with server-sent events
     * @param response the type its JSON answer is made of, for its schema (null: not said)
     */
    record Route(String method, String path, String tag, String summary, String body, boolean stream, java.lang.reflect.Type response,
            List<Integer> statuses, String mediaType) {
        Route(String method, String path, String tag, String summary, String body, boolean stream) {
            this(method, path, tag, summary, body, stream, null, List.of(200), "application/json");
        }
    }

    private final RoutesConfig routes;
    private final List<Route> documented = new ArrayList<>();

    ApiRoutes(RoutesConfig routes) {
        this.routes = routes;
    }

    ApiRoutes get(String path, String tag, String summary, Handler h) {
        documented.add(new Route("get", path, tag, summary, null, false));
        routes.get(path, h);
        return this;
    }

    ApiRoutes post(String path, String tag, String summary, String body, Handler h) {
        documented.add(new Route("post", path, tag, summary, body, false));
        routes.post(path, h);
        return this;
    }

    ApiRoutes delete(String path, String tag, String summary, Handler h) {
        documented.add(new Route("delete", path, tag, summary, null, false));
        routes.delete(path, h);
        return this;
    }

    void sse(String path, String tag, String summary, Consumer<SseClient> client) {
        documented.add(new Route("get", path, tag, summary, null, true));
        routes.sse(path, client);
    }

    /** The route registered last answers with JSON of this type (a record, or a list of them), for its documented schema. */
    ApiRoutes returns(java.lang.reflect.Type type) {
        Route r = documented.removeLast();
        documented.add(new Route(r.method(), r.path(), r.tag(), r.summary(), r.body(), r.stream(), type, r.statuses(), r.mediaType()));
        return this;
    }

    /** The route registered last answers with a map of this mini-signature ({@link JsonSchemas.Shape}), its records named in {@code refs}. */
    ApiRoutes returns(String shape, Class<?>... refs) {
        return returns(JsonSchemas.Shape.of(shape, refs));
    }

    /** The statuses the route registered last answers with when it succeeds (200 unless said). */
    ApiRoutes status(Integer... statuses) {
        Route r = documented.removeLast();
        documented.add(new Route(r.method(), r.path(), r.tag(), r.summary(), r.body(), r.stream(), r.response(), List.of(statuses),
                r.mediaType()));
        return this;
    }

    /** The route registered last answers with this media type (a page, a file) rather than JSON. */
    ApiRoutes produces(String mediaType) {
        Route r = documented.removeLast();
        documented.add(new Route(r.method(), r.path(), r.tag(), r.summary(), r.body(), r.stream(), r.response(), r.statuses(), mediaType));
        return this;
    }

    /** A list of {@code element}, for {@link #returns}. */
    static java.lang.reflect.Type listOf(Class<?> element) {
        return new java.lang.reflect.ParameterizedType() {
            @Override
            public java.lang.reflect.Type[] getActualTypeArguments() {
                return new java.lang.reflect.Type[] {element};
            }

            @Override
            public java.lang.reflect.Type getRawType() {
                return List.class;
            }

            @Override
            public java.lang.reflect.Type getOwnerType() {
                return null;
            }
        };
    }

    List<Route> documented() {
        return List.copyOf(documented);
    }
}
