package dev.paddock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Grades answers. {@code passed} is null when an answer cannot be graded here (no runtime, no judge), said in the detail. */
public final class Grading {
    public record Grade(Boolean passed, String detail) {}

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:[.,]\\d+)?");
    private static final Pattern CODE_BLOCK = Pattern.compile("```(?:[a-zA-Z0-9_+-]*)\\s*\\n(.*?)```", Pattern.DOTALL);

    private final Function<String, String> judge; // prompt → judge's answer; null when no judge model is configured

    private final Duration codeTimeout;
    private final CodeSandbox sandbox;

    public Grading(Function<String, String> judge) {
        this(judge, Duration.ofSeconds(10));
    }

    /** @param codeTimeout how long the code grader lets a model's program and its checks run */
    public Grading(Function<String, String> judge, Duration codeTimeout) {
        this.judge = judge;
        this.codeTimeout = codeTimeout;
        this.sandbox = new CodeSandbox(codeTimeout);
    }

    public Grade grade(Grader g, String prompt, String answer) {
        String a = answer == null ? "" : answer.strip();
        return switch (g) {
            case Grader.Exact e -> e.caseSensitive() ? result(a.equals(e.expected()), "exact")
                    : result(a.equalsIgnoreCase(e.expected()), "exact, any case");
            case Grader.Contains c -> {
                String lower = a.toLowerCase(Locale.ROOT);
                List<String> missing = c.all().stream().filter(x -> !lower.contains(x.toLowerCase(Locale.ROOT))).toList();
                yield new Grade(missing.isEmpty(), missing.isEmpty() ? "contains all" : "missing " + missing);
            }
            case Grader.Regex r -> result(Pattern.compile(r.pattern()).matcher(a).find(), "regex " + r.pattern());
            case Grader.Numeric n -> numeric(n, a);
            case Grader.Json j -> json(j, a);
            case Grader.Code c -> code(c, prompt, a);
            case Grader.Judge j -> judged(j.rubric(), prompt, a);
        };
    }

    private static Grade result(boolean ok, String how) {
        return new Grade(ok, how);
    }

    static Grade numeric(Grader.Numeric n, String a) {
        Matcher m = NUMBER.matcher(a);
        Double last = null;
        while (m.find()) {
            last = Double.parseDouble(m.group().replace(',', '.'));
        }
        if (last == null) {
            return new Grade(false, "no number in the answer");
        }
        boolean ok = Math.abs(last - n.expected()) <= n.tolerance();
        return new Grade(ok, "answered " + last + ", expected " + n.expected() + " ± " + n.tolerance());
    }

    static Grade json(Grader.Json j, String a) {
        int start = a.indexOf('{');
        int end = a.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return new Grade(false, "no JSON object in the answer");
        }
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(a.substring(start, end + 1));
        } catch (IOException e) {
            return new Grade(false, "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        for (Map.Entry<String, String> req : j.requiredTypes().entrySet()) {
            JsonNode v = node.get(req.getKey());
            boolean ok = v != null && switch (req.getValue()) {
                case "string" -> v.isTextual();
                case "number" -> v.isNumber();
                case "integer" -> v.isIntegralNumber();
                case "boolean" -> v.isBoolean();
                case "array" -> v.isArray();
                case "object" -> v.isObject();
                default -> true;
            };
            if (!ok) {
                return new Grade(false, "\"" + req.getKey() + "\" is missing or not a " + req.getValue());
            }
        }
        return new Grade(true, "valid JSON" + (j.requiredTypes().isEmpty() ? "" : " with " + j.requiredTypes().keySet()));
    }

    private Grade code(Grader.Code c, String prompt, String a) {
        Matcher m = CODE_BLOCK.matcher(a);
        String code = m.find() ? m.group(1) : a;
        if (!c.language().equals("python") || !runtimeAvailable("python3")) {
            return judge != null ? judged("The answer's code must be correct and run. Checks it must pass:\n" + c.checks(), prompt, a)
                    : new Grade(null, "ungraded: no " + c.language() + " runtime here and no judge model (bench.judge_model)");
        }
        try {
            CodeSandbox.Outcome o = sandbox.runPython(code + "\n\n" + c.checks() + "\n");
            String how = " (" + o.isolation() + ")";
            if (o.timedOut()) {
                return new Grade(false, "the checks ran over " + codeTimeout.toSeconds() + " s and were stopped" + how);
            }
            return o.exitCode() == 0 ? new Grade(true, "the checks pass" + how)
                    : new Grade(false, "the checks fail: " + o.output().strip().lines().reduce((x, y) -> y).orElse("exit " + o.exitCode())
                            + how);
        } catch (IOException e) {
            return new Grade(null, "ungraded: cannot run python3 (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Grade(null, "ungraded: interrupted");
        }
    }

    private Grade judged(String rubric, String prompt, String a) {
        if (judge == null) {
            return new Grade(null, "ungraded: no judge model (setting bench.judge_model)");
        }
        String verdict = judge.apply("Score the ANSWER to the QUESTION from 1 to 10 by this rubric. Reply with the number only.\n"
                + "RUBRIC: " + rubric + "\nQUESTION: " + prompt + "\nANSWER: " + a);
        Matcher m = NUMBER.matcher(verdict == null ? "" : verdict);
        if (!m.find()) {
            return new Grade(null, "ungraded: the judge gave no score (" + verdict + ")");
        }
        double score = Double.parseDouble(m.group().replace(',', '.'));
        return new Grade(score >= 7, "judge scored " + score + "/10");
    }

    static boolean runtimeAvailable(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
