package dev.paddock.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A quality suite file (JSON, documented in the README): a name, a version, and tasks, each with id,
 * category, prompt and grader. Errors name the file, the line and what is wrong.
 */
public record QualitySuite(String name, String version, List<QualityTask> tasks) {
    static final Set<String> CATEGORIES = Set.of("reasoning", "code", "extraction", "general", "math", "summarization");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static QualitySuite bundled() {
        try (InputStream in = QualitySuite.class.getResourceAsStream("/suites/quality.json")) {
            return parse(in.readAllBytes(), "the bundled quality suite");
        } catch (IOException e) {
            throw new IllegalStateException("the bundled suite is unreadable", e);
        }
    }

    public static QualitySuite load(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw PaddockException.invalidInput("cannot read the suite " + file + ": " + e.getMessage());
        }
    }

    static QualitySuite parse(byte[] bytes, String where) {
        try (JsonParser p = JSON.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(where, 1, "the suite must be a JSON object with \"name\", \"version\" and \"tasks\"");
            }
            String name = null;
            String version = null;
            List<QualityTask> tasks = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "name" -> name = p.getValueAsString();
                    case "version" -> version = p.getValueAsString();
                    case "tasks" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw bad(where, p.currentLocation().getLineNr(), "\"tasks\" must be an array");
                        }
                        tasks = new ArrayList<>();
                        Set<String> ids = new HashSet<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int line = p.currentLocation().getLineNr();
                            QualityTask task = task(JSON.readTree(p), where, line);
                            if (!ids.add(task.id())) {
                                throw bad(where, line, "task id \"" + task.id() + "\" is used twice");
                            }
                            tasks.add(task);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (name == null || tasks == null || tasks.isEmpty()) {
                throw bad(where, 1, "the suite needs a \"name\" and a non-empty \"tasks\" array");
            }
            return new QualitySuite(name, version == null ? "1" : version, tasks);
        } catch (JsonProcessingException e) {
            throw bad(where, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw PaddockException.invalidInput("cannot read " + where + ": " + e.getMessage());
        }
    }

    private static QualityTask task(JsonNode t, String where, int line) {
        String id = t.path("id").asText("");
        if (id.isBlank()) {
            throw bad(where, line, "a task has no \"id\"");
        }
        String category = t.path("category").asText("general");
        if (!CATEGORIES.contains(category)) {
            throw bad(where, line, "task " + id + ": category \"" + category + "\" is not one of " + CATEGORIES);
        }
        String prompt = t.path("prompt").asText("");
        if (prompt.isBlank()) {
            throw bad(where, line, "task " + id + ": \"prompt\" is missing");
        }
        return new QualityTask(id, category, prompt, grader(t.path("grader"), where, line, id), line);
    }

    private static Grader grader(JsonNode g, String where, int line, String id) {
        String type = g.path("type").asText("");
        try {
            return switch (type) {
                case "exact" -> new Grader.Exact(required(g, "expected"), g.path("case_sensitive").asBoolean(false));
                case "contains" -> {
                    List<String> all = new ArrayList<>();
                    g.path("all").forEach(x -> all.add(x.asText()));
                    if (all.isEmpty()) {
                        throw new IllegalArgumentException("\"all\" must list at least one text");
                    }
                    yield new Grader.Contains(all);
                }
                case "regex" -> {
                    String pattern = required(g, "pattern");
                    Pattern.compile(pattern);
                    yield new Grader.Regex(pattern);
                }
                case "numeric" -> {
                    if (!g.path("expected").isNumber()) {
                        throw new IllegalArgumentException("\"expected\" must be a number");
                    }
                    yield new Grader.Numeric(g.get("expected").asDouble(), g.path("tolerance").asDouble(0));
                }
                case "json" -> {
                    Map<String, String> types = new LinkedHashMap<>();
                    g.path("required").fields().forEachRemaining(e -> types.put(e.getKey(), e.getValue().asText()));
                    yield new Grader.Json(types);
                }
                case "code" -> new Grader.Code(g.path("language").asText("python"), required(g, "checks"));
                case "judge" -> new Grader.Judge(required(g, "rubric"));
                default -> throw new IllegalArgumentException("grader type \"" + type
                        + "\" is not one of exact, contains, regex, numeric, json, code, judge");
            };
        } catch (PatternSyntaxException e) {
            throw bad(where, line, "task " + id + ": invalid regex: " + e.getDescription());
        } catch (IllegalArgumentException e) {
            throw bad(where, line, "task " + id + ": " + e.getMessage());
        }
    }

    private static String required(JsonNode g, String field) {
        if (!g.hasNonNull(field)) {
            throw new IllegalArgumentException("grader needs \"" + field + "\"");
        }
        return g.get(field).asText();
    }

    private static PaddockException bad(String where, long line, String what) {
        return PaddockException.invalidInput(where + ", line " + line + ": " + what);
    }
}
