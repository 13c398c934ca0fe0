package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real benchmark of two generated models through their runners, then history and comparison. */
@Tag("e2e")
class BenchIT {
    @TempDir Path home;
    @TempDir Path files;

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = dev.paddock.cli.Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PADDOCK_HOME", home.toString(), "HOME", home.toString()), args);
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @AfterEach
    void stop() {
        run("stop", "a");
        run("stop", "b");
    }

    @Test
    void benchmarksTwoModelsStoresTheRunsAndComparesThem() throws Exception {
        run("import", TestModels.tiny(files, "a.gguf").toString(), "--name", "a");
        run("import", TestModels.write(LlamaModelSpec.small(), files, "b.gguf").toString(), "--name", "b");

        String[] bench = run("--set", "runner.keep_alive=60s", "bench", "a", "b", "--reps", "2", "--prompt-tokens", "8,32",
                "--gen-tokens", "16", "--concurrency", "1,3");

        assertThat(bench[0]).as(bench[2]).isEqualTo("0");
        assertThat(bench[2]).contains("plan: 2 model(s) × 2 prompt length(s) × (1 warm-up + 2 repetitions)");
        assertThat(bench[1]).contains("PP TOK/S", "TG TOK/S", " ± ");
        assertThat(bench[1]).contains("CONCURRENCY", "REQ/S", "OUT TOK/S");
        assertThat(bench[1].lines().filter(l -> l.matches("^[ab]:latest +3 .*")).toList()).hasSize(2)
                .allSatisfy(l -> assertThat(l).matches("^[ab]:latest +3 +- +6 +0 .*")); // 6 requests, no errors

        JsonNode history = new ObjectMapper().readTree(run("history", "a", "--json")[1]);
        assertThat(new ObjectMapper().readTree(run("history", "A:LATEST", "--json")[1])).as("one model, however it is spelled")
                .isEqualTo(history);
        assertThat(history.get(0).get("model").asText()).isEqualTo("a:latest");
        assertThat(history).singleElement().satisfies(r -> {
            assertThat(r.get("status").asText()).isEqualTo("complete");
            assertThat(r.get("samples")).hasSize(4);
            assertThat(r.get("digest").asText()).startsWith("sha256:");
            assertThat(r.get("engine").asText()).contains("b4916");
            assertThat(r.get("hardware").asText()).contains("cores");
            assertThat(r.get("samples").get(0).get("outputTokens").asInt()).isEqualTo(16);
            assertThat(r.get("samples").get(0).get("generationTokensPerSecond").asDouble()).isPositive();
            assertThat(r.get("samples").get(0).get("promptTokensPerSecond").asDouble()).isPositive();
        });

        String[] csv = run("compare", "a", "b", "--format", "csv");
        assertThat(csv[1].lines().toList()).hasSize(3).first().isEqualTo("model,tg_tok_s,pp_tok_s,ttft_ms,itl_p99_ms,e2e_ms,"
                + "peak_rss_mib,quality_pct,usd_per_1m_in,usd_per_1m_out,context_use_pct");
        assertThat(csv[1].lines().skip(1)).allSatisfy(line -> assertThat(line.split(",")[6]).matches("\\d+")); // peak RSS recorded
        String[] html = run("compare", "a", "b", "--format", "html");
        assertThat(html[1]).contains("<table class=\"compare\">", "class=\"best\"", "context-bar", "background:green");
        String[] table = run("compare", "a", "b");
        assertThat(table[1]).contains("*");
        String[] json = run("compare", "a", "b", "--format", "json");
        assertThat(new ObjectMapper().readTree(json[1]).findValuesAsText("model")).contains("a:latest", "b:latest");
    }

    @Test
    void aQualitySuiteIsAskedGradedAndStored() throws Exception {
        run("import", TestModels.tiny(files, "a.gguf").toString(), "--name", "a");
        java.nio.file.Path suite = java.nio.file.Files.writeString(files.resolve("mine.json"), """
                {"name": "mine", "version": "2", "tasks": [
                  {"id": "anything", "category": "general", "prompt": "Say something.", "grader": {"type": "regex", "pattern": "(?s).*"}},
                  {"id": "paris", "category": "general", "prompt": "Capital of France?", "grader": {"type": "contains", "all": ["Paris"]}}
                ]}""");

        String[] r = run("--set", "runner.keep_alive=60s", "bench", "a", "--suite", suite.toString(), "--json");

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode doc = new ObjectMapper().readTree(r[1]).get(0);
        assertThat(doc.at("/run/suite").asText()).isEqualTo("quality:mine");
        assertThat(doc.at("/run/suiteVersion").asText()).isEqualTo("2");
        assertThat(doc.get("answers")).hasSize(2);
        assertThat(doc.get("answers").findValuesAsText("taskId")).containsExactly("anything", "paris");
        assertThat(doc.at("/answers/0/passed").asBoolean()).isTrue(); // the pattern matches any answer
        assertThat(doc.at("/answers/1/passed").asBoolean()).isFalse(); // random weights do not know Paris
    }
}
