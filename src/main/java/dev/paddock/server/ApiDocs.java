package dev.paddock.server;

import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /api/docs}: the API's OpenAPI document ({@code /api/openapi.json}) rendered by Swagger UI, served from its
 * webjar, nothing fetched from the internet; "Try it out" sends same-origin JSON requests, which the server's
 * origin and content-type checks let through. No inline script: the page's start-up is {@code /assets/docs.js}.
 */
final class ApiDocs {
    private static final Map<String, String> FILES = Map.of("swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8", "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png");
    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>API · Paddock</title><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
            <body><div id="swagger-ui"></div>
            <script src="/api/docs/swagger-ui-bundle.js" defer></script>
            <script src="/api/docs/swagger-ui-standalone-preset.js" defer></script>
            <script src="/assets/docs.js" defer></script></body></html>
            """;

    private final Webjar swagger = new Webjar("org.webjars", "swagger-ui", "", FILES);

    void page(Context ctx) {
        ctx.html(PAGE);
    }

    void file(Context ctx) {
        swagger.serve(ctx);
    }
}
