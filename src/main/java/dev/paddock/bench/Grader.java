package dev.paddock.bench;

import java.util.List;

/** How an answer is judged. Deterministic graders first; {@link Judge} asks a model named in the config. */
public sealed interface Grader {
    /** The whole answer, trimmed, equals the text. */
    record Exact(String expected, boolean caseSensitive) implements Grader {}

    /** The answer contains every one of these (case-insensitive). */
    record Contains(List<String> all) implements Grader {}

    /** The pattern is found in the answer. */
    record Regex(String pattern) implements Grader {}

    /** The last number in the answer is within the tolerance of the value. */
    record Numeric(double expected, double tolerance) implements Grader {}

    /** The answer holds a JSON object; optionally with these keys, each of the JSON type given. */
    record Json(java.util.Map<String, String> requiredTypes) implements Grader {}

    /** The answer's first code block, in this language, passes the checks appended to it (run when the runtime exists). */
    record Code(String language, String checks) implements Grader {}

    /** A judge model scores the answer 1–10 against the rubric; 7 or more passes. */
    record Judge(String rubric) implements Grader {}
}
