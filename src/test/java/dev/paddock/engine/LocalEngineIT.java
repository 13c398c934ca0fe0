package dev.paddock.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.TokenListener;
import dev.paddock.runner.LoadedRunner;
import dev.paddock.store.ImportProgress;
import dev.paddock.testing.TestModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine: llama-server built from the pinned llama.cpp release (the machine's engine cache makes the
 * install a copy; {@code .ci/run} builds it once), serving generated models through Paddock's runner.
 */
@Tag("engine")
class LocalEngineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path home;
    @TempDir Path files;
    private Paddock paddock;

    private Paddock paddock(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PADDOCK_HOME", home.toString());
        paddock = new Paddock(PaddockConfig.load(settings, env), env, w -> {}, Clock.systemUTC(), true);
        return paddock;
    }

    private Engine installPinned(Paddock p) {
        EngineService.Installed done = p.engines().install(new EngineService.InstallRequest(null, null, Backend.CPU,
                Runtime.getRuntime().availableProcessors(), false), InstallProgress.NONE);
        return done.engine();
    }

    private void importModel(Paddock p, LlamaModelSpec spec, String name) {
        Path f = TestModels.write(spec, files, name.replace(':', '-') + ".gguf");
        p.store().importFile(f, ModelName.parse(name), false, ImportProgress.NONE);
    }

    private static ChatRequest ask(String model, List<ChatMessage> messages, int maxTokens) {
        return new ChatRequest(model, messages, maxTokens, 0.0, 1L, List.of(), null);
    }

    @AfterEach
    void stop() {
        if (paddock != null) {
            paddock.supervisor().loaded().forEach(r -> paddock.supervisor().stop(ModelName.parse(r.model())));
            paddock.close();
        }
    }

    @Test
    void thePinnedReleaseInstallsPassesItsSmokeTestAndBecomesTheDefault() {
        Paddock p = paddock(Map.of());
        Engine e = installPinned(p);

        assertThat(e.id()).isEqualTo("de3ff81-cpu");
        assertThat(e.commit()).isEqualTo("de3ff81");
        assertThat(e.source()).isEqualTo("npm:node-llama-cpp@3.22.1");
        assertThat(e.buildFlags()).contains("-DBUILD_SHARED_LIBS=OFF", "-DLLAMA_CURL=OFF");
        assertThat(e.smokeTest().passed()).isTrue();
        assertThat(e.smokeTest().tokensPerSecond()).isPositive();
        assertThat(p.engines().defaultId()).contains("de3ff81-cpu");
        assertThat(p.engines().store().bench(e)).isPresent();
        assertThat(home.resolve("engines/de3ff81-cpu/build.log")).exists();
        assertThatThrownBy(() -> installPinned(p)).hasMessageContaining("is already installed");
    }

    @Test
    void aNewerEngineThatFailsItsSmokeTestLeavesTheWorkingDefaultInPlace() throws Exception {
        Paddock p = paddock(Map.of());
        installPinned(p);
        Path broken = files.resolve("llama-server");
        Files.writeString(broken, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 9999 (fffffff)'; exit 0; fi\nexit 1\n");
        broken.toFile().setExecutable(true);

        EngineService.Installed newer = p.engines().install(new EngineService.InstallRequest(broken.toString(), null, Backend.CPU, 1,
                false), InstallProgress.NONE);

        assertThat(newer.engine().usable()).isFalse();
        assertThat(newer.madeDefault()).isFalse();
        assertThat(p.engines().defaultId()).contains("de3ff81-cpu");
    }

    @Test
    void aQwen3ModelLoadsAndGeneratesWithTheTokenKeptOffTheCommandLine() throws Exception {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny().withArchitecture("qwen3").withName("paddock-qwen3"), "qwen3:tiny");

        ChatResult r = p.chat().chat(ask("qwen3:tiny", List.of(ChatMessage.user("Hello")), 16), TokenListener.NONE, "test");

        assertThat(r.completionTokens()).isPositive();
        assertThat(r.engineTimings().generatedTokens()).isEqualTo(r.completionTokens());
        LoadedRunner runner = p.supervisor().loaded().getFirst();
        assertThat(runner.engineId()).isEqualTo("de3ff81-cpu");
        assertThat(runner.engine()).contains("engine de3ff81-cpu");
        ProcessHandle server = llamaServerOf(runner);
        String cmdline = Files.readString(Path.of("/proc", String.valueOf(server.pid()), "cmdline")).replace('\0', ' ');
        assertThat(cmdline).contains("llama-server", "-np 4", "--kv-unified", "--jinja", "--api-key-file", "-ngl auto").doesNotContain(runner.token());
        assertThat(runner.memory().orElseThrow().residentBytes()).isGreaterThan(ProcessMemory(runner.pid()));
    }

    private static ProcessHandle llamaServerOf(LoadedRunner runner) {
        return ProcessHandle.of(runner.pid()).orElseThrow().descendants()
                .filter(h -> h.info().command().orElse("").endsWith("/llama-server")).findFirst().orElseThrow();
    }

    @Test
    void aRunnerKilledOutrightTakesItsLlamaServerWithIt() throws Exception {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        p.chat().chat(ask("tiny", List.of(ChatMessage.user("Hi")), 4), TokenListener.NONE, "test");
        LoadedRunner runner = p.supervisor().loaded().getFirst();
        ProcessHandle server = llamaServerOf(runner);

        new ProcessBuilder("kill", "-9", String.valueOf(runner.pid())).start().waitFor();

        server.onExit().join(); // no orphan engine holding the model's memory: it ends (the test would hang otherwise)
        ChatResult again = p.chat().chat(ask("tiny", List.of(ChatMessage.user("Hi again")), 4), TokenListener.NONE, "test");
        assertThat(again.completionTokens()).isPositive();
        assertThat(p.supervisor().loaded().getFirst().pid()).isNotEqualTo(runner.pid());
    }

    private static long ProcessMemory(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS");
    }

    @Test
    void fourRequestsAtOnceShareOneRunnerWithFourSlots() throws Exception {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        List<Callable<ChatResult>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String prompt = "Request number " + i;
            calls.add(() -> p.chat().chat(ask("tiny", List.of(ChatMessage.user(prompt)), 48), TokenListener.NONE, "test"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<ChatResult> f : pool.invokeAll(calls)) {
                assertThat(f.get().completionTokens()).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(p.supervisor().loaded()).hasSize(1);
        JsonNode slots = get(p.supervisor().loaded().getFirst(), "/slots");
        assertThat(slots.size()).isEqualTo(4);
        p.activeModel().set("tiny");
        var status = p.status().report(java.time.Instant.EPOCH);
        assertThat(status.engine()).contains("engine de3ff81-cpu");
        assertThat(status.engineMetrics().slots()).isEqualTo(4);
        assertThat(status.engineMetrics().generatedTokens()).isGreaterThanOrEqualTo(4);
        assertThat(status.engineMetrics().promptTokens()).isPositive();
        assertThat(status.requests()).isEqualTo(4);
    }

    @Test
    void aFollowUpTurnReusesThePromptCacheAsTheEngineReports() {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        List<ChatMessage> turns = new ArrayList<>(List.of(ChatMessage.user("the quick brown fox jumps over the lazy dog ".repeat(8))));
        ChatResult first = p.chat().chat(ask("tiny", turns, 8), TokenListener.NONE, "test");
        turns.add(ChatMessage.assistant(first.text()));
        turns.add(ChatMessage.user("and then?"));

        ChatResult second = p.chat().chat(ask("tiny", turns, 8), TokenListener.NONE, "test");

        assertThat(second.engineTimings().cachedPromptTokens()).isGreaterThan(first.engineTimings().promptTokens() / 2);
        assertThat(second.engineTimings().promptTokens()).isLessThan(second.promptTokens());
    }

    @Test
    void aLlamaServerThatHasLoggedFarMoreThanAPipeHoldsStillAnswers() throws Exception {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        ChatResult first = p.chat().chat(ask("tiny", List.of(ChatMessage.user("Hi")), 4), TokenListener.NONE, "test");
        Path log = Path.of(p.supervisor().loaded().getFirst().logFile());
        int requests = 1;
        // a pipe nobody reads holds 64 KiB: its writer blocks once it is full, and so would every request after
        while (Files.size(log) < 128 * 1024 && requests < 2000) {
            ChatResult r = p.chat().chat(ask("tiny", List.of(ChatMessage.user("Tell me a story " + requests)), 4), TokenListener.NONE, "test");
            assertThat(r.completionTokens()).isPositive();
            requests++;
        }

        assertThat(first.completionTokens()).isPositive();
        assertThat(Files.size(log)).isGreaterThan(128 * 1024);
        assertThat(Files.readString(log)).contains("stop processing");
    }

    @Test
    void aSpeedBenchmarkSendsExactlyTheTokensAskedForAndTheEngineEvaluatesAllOfThemEveryTime() throws Exception {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");

        var run = p.bench().run("tiny", new dev.paddock.bench.BenchService.Settings(2, List.of(100, 257), 8, 2, null, 1L, null, null),
                line -> {});

        assertThat(run.samples()).extracting(dev.paddock.bench.SpeedSample::promptTokens).containsExactly(100, 100, 257, 257);
        assertThat(run.engine()).contains("engine de3ff81-cpu");
        String log = Files.readString(Path.of(p.supervisor().loaded().getFirst().logFile()));
        // warm-up and both repetitions: the whole prompt evaluated each time, none of it taken from the cache
        assertThat(log.split("/\\s+100 tokens \\(", -1)).hasSize(4);
        assertThat(log.split("/\\s+257 tokens \\(", -1)).hasSize(4);
    }

    @Test
    void anIdleEngineRunnerSaysWhenItUnloadsAndThenUnloadsByItself() throws Exception {
        Paddock p = paddock(Map.of("runner.keep_alive", "3s"));
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        p.chat().chat(ask("tiny", List.of(ChatMessage.user("Hi")), 4), TokenListener.NONE, "test");
        LoadedRunner runner = p.supervisor().loaded().getFirst();
        ProcessHandle server = llamaServerOf(runner);

        assertThat(p.local().loadedModels().getFirst().expiresAt()).isNotNull();
        ProcessHandle.of(runner.pid()).orElseThrow().onExit().join(); // the keep-alive passes: the runner leaves by itself
        server.onExit().join();

        assertThat(Files.readString(Path.of(runner.logFile()))).contains("paddock runner: exiting (keep-alive passed)");
        assertThat(p.supervisor().loaded()).isEmpty();
    }

    @Test
    void aRequestsOwnKeepAliveReachesTheEngineRunnerAndUnloadsItThen() throws Exception {
        Paddock p = paddock(Map.of()); // the default keep-alive: minutes
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        p.chat().chat(new ChatRequest("tiny", List.of(ChatMessage.user("Hi")), 4, 0.0, 1L, List.of(), "2s"), TokenListener.NONE, "test");
        LoadedRunner runner = p.supervisor().loaded().getFirst();

        assertThat(p.local().loadedModels().getFirst().expiresAt()).isBefore(java.time.Instant.now().plusSeconds(3));
        ProcessHandle.of(runner.pid()).orElseThrow().onExit().join(); // no deadline here: the runner leaves by itself or the test hangs
        assertThat(Files.readString(Path.of(runner.logFile()))).contains("paddock runner: exiting (keep-alive passed)");
        assertThatThrownBy(() -> p.chat().chat(new ChatRequest("tiny", List.of(ChatMessage.user("Hi")), 4, 0.0, 1L, List.of(), "soon"),
                TokenListener.NONE, "test")).hasMessageContaining("invalid keep-alive");
    }

    @Test
    void aReloadWaitsForARequestThatHoldsTheRunnerButHasNotReachedTheEngineYet() throws Exception {
        java.util.concurrent.BlockingQueue<String> warnings = new java.util.concurrent.LinkedBlockingQueue<>();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PADDOCK_HOME", home.toString());
        paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, warnings::add, Clock.systemUTC(), true);
        Paddock p = paddock;
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        var installed = p.store().installed(ModelName.parse("tiny"));
        // a request that has its runner and has sent nothing yet: llama-server's own counters cannot see it
        LoadedRunner held = p.supervisor().acquire(ModelName.parse("tiny:latest"), installed,
                dev.paddock.runner.RunnerDefaults.Overrides.NONE).runner();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> embedding = pool.submit(() -> p.local().embed(new dev.paddock.provider.EmbeddingRequest("tiny", List.of("x"), null)));
        String warning;
        do {
            warning = warnings.take(); // the reload has begun: it now waits for the held request
        } while (!warning.startsWith("reloading tiny:latest with embeddings on"));

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(held.baseUri().resolve("chat/completions"))
                .header("Authorization", "Bearer " + held.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":300,"
                        + "\"temperature\":0}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("the held runner still answers").isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("usage").path("completion_tokens").asInt()).as("in full").isEqualTo(300);
        p.supervisor().release(held);

        embedding.get(); // and then the reload goes ahead
        pool.shutdown();
        assertThat(ProcessHandle.of(held.pid())).isEmpty();
        assertThat(p.supervisor().loaded()).singleElement().satisfies(r -> assertThat(r.embeddings()).isTrue());
    }

    @Test
    void aLoadAskingForAnotherContextReloadsTheModelAndOneAskingNothingKeepsItOnlyIfItIsNotSmallerThanTheDefault() {
        List<String> warnings = new ArrayList<>();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PADDOCK_HOME", home.toString());
        paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, warnings::add, Clock.systemUTC(), true);
        Paddock p = paddock;
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest"); // trained on 2048 tokens, below the default 4096
        var small = p.local().load("tiny", new dev.paddock.runner.RunnerDefaults.Overrides(512, null, null, null, null)).runner();

        // an Ollama client's small num_ctx must not stay with the model for the next client that asks nothing
        var back = p.local().load("tiny", dev.paddock.runner.RunnerDefaults.Overrides.NONE).runner();
        var bigger = p.local().load("tiny", new dev.paddock.runner.RunnerDefaults.Overrides(4096, null, null, null, null)).runner();
        var kept = p.local().load("tiny", dev.paddock.runner.RunnerDefaults.Overrides.NONE).runner();

        assertThat(back.pid()).isNotEqualTo(small.pid());
        assertThat(back.contextSize()).isEqualTo(2048);
        assertThat(ProcessHandle.of(small.pid())).isEmpty();
        assertThat(warnings).anyMatch(w -> w.startsWith("reloading tiny:latest with its default context 2048 (it was loaded with context 512"));
        assertThat(bigger.pid()).isNotEqualTo(back.pid());
        assertThat(bigger.contextSize()).isEqualTo(4096);
        assertThat(warnings).anyMatch(w -> w.startsWith("reloading tiny:latest with context 4096 (it was loaded with context 2048"));
        assertThat(kept.pid()).as("a bigger context serves a request that asks nothing").isEqualTo(bigger.pid());
    }

    @Test
    void aQuantisedKvCacheSettingReachesTheEngineAndItsMemoryCheck() throws Exception {
        Paddock p = paddock(Map.of("runner.kv_type", "q8_0", "runner.flash_attn", "on"));
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");

        ChatResult r = p.chat().chat(ask("tiny", List.of(ChatMessage.user("Hi")), 4), TokenListener.NONE, "test");

        assertThat(r.completionTokens()).isPositive();
        String cmdline = Files.readString(Path.of("/proc", String.valueOf(llamaServerOf(p.supervisor().loaded().getFirst()).pid()),
                "cmdline")).replace('\0', ' ');
        assertThat(cmdline).contains("-fa on", "-ctk q8_0", "-ctv q8_0");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PADDOCK_HOME", files.toString());
        Paddock other = new Paddock(PaddockConfig.load(Map.of("runner.kv_type", "q4_0", "runner.flash_attn", "off"), env), env,
                w -> {}, Clock.systemUTC(), true);
        assertThatThrownBy(other::runnerDefaults)
                .hasMessage("runner.kv_type q4_0 needs flash attention; set runner.flash_attn to auto or on, or runner.kv_type to f16");
    }

    @Test
    void aBenchmarkRunsTheSameModelOnTwoEnginesAndRecordsWhichRanEach() {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        List<dev.paddock.bench.BenchRun> runs = new ArrayList<>();
        for (String engine : List.of("embedded", "de3ff81-cpu")) {
            runs.add(p.bench().run("tiny", new dev.paddock.bench.BenchService.Settings(1, List.of(64), 8, 2, null, 1L, null, null, engine),
                    line -> {}));
        }

        assertThat(runs.get(0).engine()).startsWith("llama.cpp b4916");
        assertThat(runs.get(1).engine()).contains("engine de3ff81-cpu");
        assertThat(runs).allSatisfy(r -> assertThat(r.status()).isEqualTo("complete"));
        assertThat(p.supervisor().loaded().getFirst().engineId()).isEqualTo("de3ff81-cpu");
        List<String> missing = new ArrayList<>();
        var rows = p.comparisons().rows(List.of("tiny@embedded", "tiny@de3ff81-cpu", "tiny@nosuch"), missing);
        assertThat(rows).extracting(dev.paddock.compare.ComparisonRow::model).containsExactly("tiny:latest@embedded",
                "tiny:latest@de3ff81-cpu");
        assertThat(rows.get(0).speed().promptTokens()).isNotEqualTo(rows.get(1).speed().promptTokens()); // words vs exact tokens
        assertThat(missing).containsExactly("tiny:latest@nosuch");
        assertThatThrownBy(() -> p.bench().run("tiny", new dev.paddock.bench.BenchService.Settings(1, List.of(64), 8, 2, null, 1L, null,
                null, "nosuch"), line -> {})).hasMessageContaining("no usable engine nosuch is installed");
    }

    @Test
    void anEngineThatServesALoadedModelCannotBeRemoved() {
        Paddock p = paddock(Map.of());
        installPinned(p);
        importModel(p, LlamaModelSpec.tiny(), "tiny:latest");
        p.chat().chat(ask("tiny", List.of(ChatMessage.user("Hi")), 4), TokenListener.NONE, "test");

        assertThatThrownBy(() -> p.engines().remove("de3ff81-cpu"))
                .isInstanceOfSatisfying(PaddockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessage("engine de3ff81-cpu serves tiny:latest, so it cannot be removed now; stop it first: paddock stop tiny:latest");

        p.supervisor().stop(ModelName.parse("tiny"));
        assertThat(p.engines().remove("de3ff81-cpu")).isEmpty();
        assertThat(p.engines().list()).isEmpty();
    }

    private static JsonNode get(LoadedRunner r, String path) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + path))
                    .header("Authorization", "Bearer " + r.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            return JSON.readTree(res.body());
        } finally {
            http.shutdownNow();
        }
    }
}
