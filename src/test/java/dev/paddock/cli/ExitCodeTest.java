package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every usage error exits 2; every unknown name is an error (1) naming the closest known one; nothing is measured first. */
class ExitCodeTest {
    @TempDir Path home;
    @TempDir Path files;

    @BeforeEach
    void aModel() {
        CliRun.of(home, "import", TestModels.tiny(files, "t.gguf").toString(), "--name", "tiny");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fit tiny --kv-type q3|2|unknown KV cache type \"q3\"",
            "compare tiny --sort speed|2|--sort must be tg, pp, ttft, e2e, memory or quality",
            "compare tiny --format yaml|2|--format must be table, md, csv, json or html",
            "recommend --task poetry|2|unknown task \"poetry\"",
            "cost --input-tokens 1M --output-tokens 1M --per week|2|--per must be day or month",
            "bench tiny --reps 0|2|--reps must be at least 1",
            "history tiny --last 0|2|--last must be 1 or more",
            "stop|2|name a model to stop, or --all",
            "engine install --backend tpu|2|--backend must be cpu, cuda or vulkan",
            "stop tyny|1|model tyny:latest not found; did you mean \"tiny:latest\"?",
            "history tyny|1|model tyny:latest not found; did you mean \"tiny:latest\"?",
            "compare tyny|1|model tyny:latest not found; did you mean \"tiny:latest\"?",
            "compare tiny|1|no benchmark runs of tiny yet",
            "bench tiny tyny|1|model tyny:latest not found; did you mean \"tiny:latest\"?",
            "registry --provider antropic|1|no provider \"antropic\" in the registry; did you mean \"anthropic\"?",
            "registry --capability visoin|1|no capability \"visoin\" in the registry; did you mean \"vision\"?",
            "engine use nosuch|1|no engine nosuch is installed",
            "status --since 2x|2|--since must be a span such as 30m, 24h or 7d, not \"2x\"",
            "--set foo list|2|--set takes KEY=VALUE",
            "compare tiny --json --format csv|2|--json and --format csv ask for two formats",
            "registry --mode chatt|2|--mode must be all or one of",
            "search tiny --limit 500|2|--limit must be from 1 to 100",
    })
    void badValuesAndUnknownNamesFailWithTheRightCode(String args, int code, String message) {
        CliRun r = CliRun.of(home, args.split(" "));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).contains(message);
        assertThat(r.err()).doesNotContain("plan:", "Exception"); // refused before anything ran
    }

    @Test
    void knownNamesWithNothingToShowStillSucceed() {
        CliRun history = CliRun.of(home, "history", "tiny");
        CliRun stop = CliRun.of(home, "stop", "tiny");
        CliRun stopAll = CliRun.of(home, "stop", "--all");

        assertThat(history.exitCode()).isZero();
        assertThat(history.err()).contains("no benchmark runs of tiny yet");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.out()).contains("tiny was not loaded");
        assertThat(stopAll.exitCode()).isZero();
        assertThat(stopAll.out()).contains("no models were loaded");
    }
}
