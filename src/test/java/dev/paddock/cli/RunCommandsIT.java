package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run, ps, use, status, stop and providers, with real runners behind them. */
@Tag("e2e")
class RunCommandsIT {
    @TempDir Path home;
    @TempDir Path files;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void importAModel() {
        CliRun.of(home, "import", TestModels.tiny(files, "t.gguf").toString(), "--name", "tiny");
    }

    @AfterEach
    void stopRunners() {
        CliRun.of(home, "stop", "tiny");
    }

    private CliRun paddock(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--set";
        all[1] = "runner.keep_alive=60s";
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(home, all);
    }

    @Test
    void runAnswersAPromptAndVerbosePrintsTheTimings() {
        CliRun r = paddock("--verbose", "run", "tiny", "Hello", "there", "--max-tokens", "8", "--temperature", "0", "--seed", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("load time:", "time to first:", "prompt eval:", "generation:       8 tokens");
        CliRun again = paddock("run", "tiny", "Hello", "there", "--max-tokens", "8", "--temperature", "0", "--seed", "3");
        assertThat(again.out()).isEqualTo(r.out());
    }

    @Test
    void ctrlCWhileAModelLoadsLeavesNoRunnerThatPsDoesNotShow() throws Exception {
        java.nio.file.Path logs = java.nio.file.Files.createDirectories(home.resolve("logs"));
        try (var watch = java.nio.file.FileSystems.getDefault().newWatchService()) {
            logs.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            Process cli = dev.paddock.testing.PaddockProcess.builder(home, java.util.Map.of(), "run", "tiny", "Hi", "--max-tokens", "2")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // the runner's log is created as its process is spawned: from then on it is loading
            assertThat(watch.poll(120, java.util.concurrent.TimeUnit.SECONDS)).as("the runner was started").isNotNull();
            // TERM: what Ctrl-C does to a JVM (its shutdown hooks run), and never ignored as INT is in a background job
            new ProcessBuilder("kill", "-TERM", String.valueOf(cli.pid())).start().waitFor();
            assertThat(cli.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }

        java.nio.file.Path registered = home.resolve("runners/tiny/latest.json");
        long listedPid = java.nio.file.Files.exists(registered) ? JSON.readTree(registered.toFile()).get("pid").asLong() : -1;
        List<ProcessHandle> runners = ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                .map(c -> c.contains("RunnerMain") && c.contains(home.toString())).orElse(false)).toList();
        for (ProcessHandle r : runners) { // each is either listed by ps or gone with the command, never on unseen
            if (r.pid() != listedPid) {
                r.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.isAlive()).as("runner " + r.pid() + " is neither registered nor stopped").isFalse();
            }
        }
        if (listedPid > 0) {
            assertThat(paddock("ps").out()).contains("tiny:latest");
        }
    }

    @Test
    void ctrlCStopsABenchmarkAndKeepsWhatItMeasuredMarkedCancelled() throws Exception {
        Process cli = dev.paddock.testing.PaddockProcess.builder(home, java.util.Map.of(), "--set", "runner.keep_alive=60s", "bench",
                "tiny", "--reps", "50", "--gen-tokens", "1500", "--prompt-tokens", "16").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StringBuilder err = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(cli.getErrorStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.contains("repetition 1/50")) {
                err.append(line).append('\n');
            }
            assertThat(line).as(err.toString()).isNotNull();
            // TERM: what Ctrl-C does to a JVM (its shutdown hooks run), and never ignored as INT is in a background job
            new ProcessBuilder("kill", "-TERM", String.valueOf(cli.pid())).start().waitFor();
            while ((line = lines.readLine()) != null) {
                err.append(line).append('\n');
            }
        }
        assertThat(cli.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(cli.exitValue()).as(err.toString()).isIn(130, 143); // the signal's own exit code
        assertThat(err.toString()).contains("cancelled: what was measured is kept");
        JsonNode history = JSON.readTree(paddock("history", "tiny", "--json").out());
        assertThat(history).singleElement().satisfies(r -> {
            assertThat(r.get("status").asText()).isEqualTo("cancelled");
            assertThat(r.get("samples").size()).isBetween(1, 49);
        });
    }

    @Test
    void psShowsTheLoadedModelAndStopUnloadsIt() throws Exception {
        paddock("run", "tiny", "Hi", "--max-tokens", "2");

        JsonNode ps = JSON.readTree(paddock("ps", "--json").out());
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).get("name").asText()).isEqualTo("tiny:latest");
        assertThat(ps.get(0).get("provider").asText()).isEqualTo("local");
        assertThat(ps.get(0).get("memoryBytes").asLong()).isPositive();
        assertThat(paddock("ps").out()).contains("tiny:latest", "local", "MiB", "in ");

        assertThat(paddock("stop", "tiny").out()).contains("stopped tiny");
        assertThat(JSON.readTree(paddock("ps", "--json").out())).isEmpty();
    }

    @Test
    void useLoadsFirstThenSwitchesAndStatusReportsTheRequests() throws Exception {
        CliRun use = paddock("use", "tiny");
        assertThat(use.exitCode()).as(use.err()).isZero();
        assertThat(use.out()).startsWith("active model: tiny (loaded in ").contains("switched in");

        paddock("run", "tiny", "One", "--max-tokens", "4");
        paddock("run", "tiny", "Two", "--max-tokens", "4");
        JsonNode status = JSON.readTree(paddock("status", "--json").out());

        assertThat(status.get("activeModel").asText()).isEqualTo("tiny");
        assertThat(status.get("state").asText()).isEqualTo("loaded");
        assertThat(status.get("requests").asInt()).isEqualTo(2);
        assertThat(status.get("errorRate").asDouble()).isZero();
        assertThat(status.get("memoryBytes").asLong()).isPositive();
        assertThat(status.get("meanTokensPerSecond").asDouble()).isPositive();
        assertThat(paddock("status").out()).contains("active model", "tiny", "requests (24h)", "2");
    }

    @Test
    void useOfAMissingModelChangesNothing() {
        paddock("use", "tiny");
        CliRun r = paddock("use", "tiny:nope");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("model tiny:nope not found");
        assertThat(paddock("status", "--json").out()).contains("\"activeModel\" : \"tiny\"");
    }

    @Test
    void providersListsTheLocalStoreAndTheDefaultOllama() throws Exception {
        JsonNode providers = JSON.readTree(paddock("providers", "--json").out());

        assertThat(providers.findValuesAsText("name")).startsWith("local", "ollama");
        assertThat(providers.get(0).get("models").asInt()).isEqualTo(1);
    }

    @Test
    void anUnknownProviderIsAUserError() {
        CliRun r = paddock("run", "olama/llama3", "hi");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no provider named \"olama\"; did you mean \"ollama\"?");
    }
}
