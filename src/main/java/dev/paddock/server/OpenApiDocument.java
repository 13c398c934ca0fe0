package dev.paddock.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3.1 document of the routes registered through {@link ApiRoutes}. */
final class OpenApiDocument {
    private static final Pattern PARAM = Pattern.compile("[{<]([a-zA-Z]+)[}>]");
    private static final Pattern QUERY = Pattern.compile("[?&]([a-zA-Z_]+)=");

    private OpenApiDocument() {}

    /** Javalin's {@code <name>} (a parameter that may hold slashes) is OpenAPI's {@code {name}}. */
    static String openApiPath(String javalinPath) {
        return javalinPath.replace('<', '{').replace('>', '}');
    }

    static Map<String, Object> build(List<ApiRoutes.Route> routes, String version) {
        JsonSchemas schemas = new JsonSchemas();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Paddock", "version", version,
                "description", "Paddock's REST API (/api) and OpenAI-compatible gateway (/v1). Errors: "
                        + "{\"error\": {\"code\", \"message\", \"type\"}}. With a token set, send Authorization: Bearer TOKEN."));
        Map<String, Object> named = new java.util.TreeMap<>();
        named.put("Error", Map.of("type", "object", "properties", Map.of("error", Map.of("type", "object",
                "properties", Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string"),
                        "type", Map.of("type", "string"))))));
        doc.put("components", Map.of("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")), "schemas", named));
        doc.put("security", List.of(Map.of("bearer", List.of())));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (ApiRoutes.Route r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(openApiPath(r.path()), k -> new LinkedHashMap<>());
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("tags", List.of(r.tag()));
            op.put("summary", r.summary());
            op.put("operationId", r.method() + r.path().replaceAll("[^a-zA-Z0-9]+", "_"));
            List<Object> params = new ArrayList<>();
            Matcher m = PARAM.matcher(r.path());
            while (m.find()) {
                params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
            // the query parameters a summary names, "(?models=a,b&metric=tg)": optional, as text
            Matcher q = QUERY.matcher(r.summary());
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (q.find()) {
                if (seen.add(q.group(1))) {
                    params.add(Map.of("name", q.group(1), "in", "query", "required", false, "schema", Map.of("type", "string")));
                }
            }
            if (!params.isEmpty()) {
                op.put("parameters", params);
            }
            if (r.body() != null) {
                op.put("requestBody", Map.of("description", r.body(), "required", true,
                        "content", Map.of("application/json", Map.of("schema", JsonSchemas.body(r.body())))));
            }
            Map<String, Object> responses = new LinkedHashMap<>();
            Map<String, Object> content = r.stream() ? Map.of("text/event-stream", Map.of("schema", Map.of("type", "string")))
                    : !r.mediaType().equals("application/json") && r.response() != null // a picture by default, its data with format=json
                            ? Map.of(r.mediaType(), Map.of("schema", Map.of("type", "string")), "application/json", Map.of("schema", schemas.of(r.response())))
                    : !r.mediaType().equals("application/json") ? Map.of(r.mediaType(), Map.of("schema", Map.of("type", "string")))
                    : Map.of("application/json", Map.of("schema", r.response() == null ? Map.of() : schemas.of(r.response())));
            for (int status : r.statuses()) {
                responses.put(String.valueOf(status), Map.of("description", switch (status) {
                    case 201 -> "Created";
                    case 202 -> "Accepted: a job was started";
                    default -> "OK";
                }, "content", content));
            }
            responses.put("default", Map.of("description", "An error", "content",
                    Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")))));
            op.put("responses", responses);
            item.put(r.method(), op);
        }
        doc.put("paths", paths);
        named.putAll(schemas.components());
        return doc;
    }
}
