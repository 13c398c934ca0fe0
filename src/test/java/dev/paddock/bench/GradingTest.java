package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradingTest {
    private final Grading grading = new Grading(null);

    private Boolean grade(Grader g, String answer) {
        return grading.grade(g, "q", answer).passed();
    }

    @Test
    void deterministicGradersPassAndFail() {
        assertThat(grade(new Grader.Exact("Paris", false), " paris ")).isTrue();
        assertThat(grade(new Grader.Exact("Paris", true), "paris")).isFalse();
        assertThat(grade(new Grader.Contains(List.of("1 2 3", "99 100")), "1 2 3 … 98 99 100")).isTrue();
        assertThat(grade(new Grader.Contains(List.of("Jupiter")), "Saturn")).isFalse();
        assertThat(grade(new Grader.Regex("2024-03-05"), "It is 2024-03-05.")).isTrue();
        assertThat(grade(new Grader.Regex("^\\d+$"), "twelve")).isFalse();
        assertThat(grade(new Grader.Numeric(2.14, 0.01), "They meet after 300/140 ≈ 2.14 hours")).isTrue();
        assertThat(grade(new Grader.Numeric(2.14, 0.01), "after 2.5 hours")).isFalse();
        assertThat(grade(new Grader.Numeric(7, 0), "no idea")).isFalse();
        assertThat(grade(new Grader.Json(Map.of("name", "string", "age", "number")), "Here: {\"name\": \"Maria\", \"age\": 34}")).isTrue();
        assertThat(grade(new Grader.Json(Map.of("age", "number")), "{\"age\": \"34\"}")).isFalse();
        assertThat(grade(new Grader.Json(Map.of()), "{broken")).isFalse();
    }

    @Test
    void codeIsRunAgainstTheChecksWhenPythonIsHere() {
        Grader palindrome = QualitySuite.bundled().tasks().stream().filter(t -> t.id().equals("longest-palindrome")).findFirst()
                .orElseThrow().grader();
        String good = """
                Here it is:
                ```python
                def longest_palindrome(s):
                    best = s[:1]
                    for i in range(len(s)):
                        for j in range(i + 1, len(s) + 1):
                            t = s[i:j]
                            if t == t[::-1] and len(t) > len(best):
                                best = t
                    return best
                ```""";
        String bad = "```python\ndef longest_palindrome(s):\n    return s\n```";

        Grading.Grade pass = grading.grade(palindrome, "q", good);
        Grading.Grade fail = grading.grade(palindrome, "q", bad);

        if (Grading.runtimeAvailable("python3")) {
            assertThat(pass.passed()).as(pass.detail()).isTrue();
            assertThat(fail.passed()).isFalse();
            assertThat(fail.detail()).contains("AssertionError");
        } else {
            assertThat(pass.passed()).isNull();
            assertThat(pass.detail()).contains("no python runtime");
        }
    }

    private static String python(String code) {
        return "```python\n" + code + "\n```";
    }

    @Test
    void anEndlessProgramIsStoppedAtTheTimeoutAndAFloodOfOutputDoesNotBlockIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Grading.runtimeAvailable("python3"), "no python3 here");
        Grading quick = new Grading(null, java.time.Duration.ofSeconds(2));
        Grader checks = new Grader.Code("python", "assert True");

        Grading.Grade loop = quick.grade(checks, "q", python("while True:\n    pass"));
        // 4 MB of output, far over a pipe's buffer, under a timeout it cannot come near: it ends only if it is drained
        Grading patient = new Grading(null, java.time.Duration.ofMinutes(5));
        Grading.Grade flood = patient.grade(checks, "q", python("import sys\nfor _ in range(40):\n    sys.stdout.write('x' * 100000)"));
        Grading.Grade child = quick.grade(checks, "q", python("import subprocess\nsubprocess.Popen(['sleep', '300'])\nwhile True:\n    pass"));

        assertThat(loop.passed()).isFalse();
        assertThat(loop.detail()).startsWith("the checks ran over 2 s and were stopped (").contains("scratch folder");
        assertThat(flood.passed()).as(flood.detail()).isTrue();
        assertThat(child.passed()).isFalse();
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").equals("sleep 300")))
                .as("the program's own children are stopped too").isEmpty();
    }

    @Test
    void theProgramRunsInAScratchFolderWithoutSecretsOrNetwork() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Grading.runtimeAvailable("python3"), "no python3 here");
        try (java.net.ServerSocket local = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            String probe = String.join("\n", "import os, socket", "s = socket.socket()", "s.settimeout(2)",
                    "reached = s.connect_ex(('127.0.0.1', " + local.getLocalPort() + ")) == 0",
                    "open('left-behind.txt', 'w').write('x')");
            String checks = String.join("\n", "assert os.getcwd() == os.environ['HOME'], 'not in its scratch folder'",
                    "assert not [k for k in os.environ if k not in ('PATH', 'LANG', 'HOME', 'TMPDIR') and not k.startswith('LC_')],"
                            + " sorted(os.environ)",
                    "assert not reached, 'the network was reachable'");
            Grading.Grade g = new Grading(null, java.time.Duration.ofMinutes(5)).grade(new Grader.Code("python", checks), "q", python(probe));

            if (g.detail().contains("no network (unshare)")) {
                assertThat(g.passed()).as(g.detail()).isTrue();
            } else {
                assertThat(g.detail()).contains("network NOT isolated");
            }
            assertThat(Path.of("left-behind.txt")).doesNotExist();
        }
    }

    @Test
    void theJudgeScoresAndWithoutOneTheAnswerIsUngraded() {
        assertThat(grading.grade(new Grader.Judge("correct"), "q", "a").passed()).isNull();
        Grading judged = new Grading(prompt -> prompt.contains("good answer") ? "8" : "Score: 3");
        assertThat(judged.grade(new Grader.Judge("helpful"), "q", "a good answer").passed()).isTrue();
        assertThat(judged.grade(new Grader.Judge("helpful"), "q", "a poor one").passed()).isFalse();
    }

    @Test
    void theBundledSuiteHasTheThreeStandardPromptsAndEveryCategory() {
        QualitySuite s = QualitySuite.bundled();
        assertThat(s.tasks()).extracting(QualityTask::id).contains("count-to-100", "trains-meet", "longest-palindrome");
        assertThat(s.tasks()).extracting(QualityTask::category).contains("reasoning", "code", "extraction", "general", "math");
        assertThat(grading.grade(s.tasks().get(0).grader(), "q", java.util.stream.IntStream.rangeClosed(1, 100)
                .mapToObj(Integer::toString).reduce((a, b) -> a + " " + b).orElseThrow()).passed()).isTrue();
    }

    @Test
    void badSuiteFilesNameTheLineAndTheFault() {
        String badGrader = "{\n \"name\": \"x\",\n \"tasks\": [\n  {\"id\": \"a\", \"prompt\": \"p\",\n   \"grader\": {\"type\": \"fuzzy\"}}\n ]\n}";
        String badRegex = "{\"name\": \"x\", \"tasks\": [\n{\"id\": \"a\", \"prompt\": \"p\", \"grader\": {\"type\": \"regex\", \"pattern\": \"(\"}}]}";
        String notJson = "{\"name\": \"x\",\n \"tasks\": [ {\"id\": }\n]}";
        String duplicate = "{\"name\": \"x\", \"tasks\": [\n{\"id\": \"a\", \"prompt\": \"p\", \"grader\": {\"type\": \"regex\", \"pattern\": \"x\"}},\n"
                + "{\"id\": \"a\", \"prompt\": \"p\", \"grader\": {\"type\": \"regex\", \"pattern\": \"x\"}}]}";

        assertThatThrownBy(() -> QualitySuite.parse(badGrader.getBytes(StandardCharsets.UTF_8), "s.json"))
                .hasMessage("s.json, line 4: task a: grader type \"fuzzy\" is not one of exact, contains, regex, numeric, json, code, judge");
        assertThatThrownBy(() -> QualitySuite.parse(badRegex.getBytes(StandardCharsets.UTF_8), "s.json"))
                .hasMessageStartingWith("s.json, line 2: task a: invalid regex");
        assertThatThrownBy(() -> QualitySuite.parse(notJson.getBytes(StandardCharsets.UTF_8), "s.json"))
                .hasMessageStartingWith("s.json, line 2: not valid JSON");
        assertThatThrownBy(() -> QualitySuite.parse(duplicate.getBytes(StandardCharsets.UTF_8), "s.json"))
                .hasMessage("s.json, line 3: task id \"a\" is used twice");
    }
}
