package dev.paddock.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.GgufValue;
import dev.paddock.gguf.GgufWriter;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.JsonHttp;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.provider.openai.OpenAiClient;
import dev.paddock.provider.openai.OpenAiProvider;
import dev.paddock.store.ImportProgress;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import dev.paddock.testing.TestModels;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real llama.cpp engine in real runner processes, on generated models. */
@Tag("e2e")
class LocalRunnerIT {
    @TempDir Path home;
    @TempDir Path files;

    private final List<String> warnings = new ArrayList<>();
    private ModelStore store;
    private RunnerSupervisor supervisor;
    private LocalProvider local;

    @BeforeEach
    void open() {
        store = new ModelStore(new StoreLayout(home),
                new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "")),
                new GgufReader(), Clock.systemUTC(), warnings::add);
        supervisor = supervisor(3);
        local = new LocalProvider(store, supervisor);
        store.importFile(TestModels.tiny(files, "tiny.gguf"), ModelName.parse("tiny"), false, ImportProgress.NONE);
    }

    private RunnerSupervisor supervisor(int maxLoaded) {
        return new RunnerSupervisor(home, new RunnerDefaults(512, 2, 512, 0, 120, maxLoaded, Duration.ofSeconds(60)),
                new GgufReader(), Clock.systemUTC(), warnings::add, true);
    }

    @AfterEach
    void stopRunners() {
        supervisor.loaded().forEach(r -> supervisor.stop(ModelName.parse(r.model())));
    }

    private static ChatRequest hello(Integer maxTokens) {
        return new ChatRequest("tiny:latest", List.of(ChatMessage.user("Hello")), maxTokens, 0.0, 42L, List.of(), null);
    }

    @Test
    void answersDeterministicallyWithUsageAndTheEnginesTimings() {
        List<String> pieces = new ArrayList<>();
        ChatResult first = local.chat(hello(12), pieces::add);
        ChatResult second = local.chat(hello(12), TokenListener.NONE);

        assertThat(second.text()).isEqualTo(first.text());
        assertThat(String.join("", pieces)).isEqualTo(first.text());
        assertThat(first.completionTokens()).isEqualTo(12);
        assertThat(first.finishReason()).isEqualTo("length");
        assertThat(first.promptTokens()).isPositive();
        assertThat(first.engineTimings()).isNotNull();
        assertThat(first.engineTimings().generatedTokens()).isEqualTo(12);
        assertThat(first.engineTimings().generatedMillis()).isPositive();
        assertThat(first.timeToFirstToken()).isLessThan(first.total());
        assertThat(supervisor.loaded()).hasSize(1);
    }

    @Test
    void theRunnerReportsItsMemoryFromProc() {
        local.load("tiny", RunnerDefaults.Overrides.NONE);

        LoadedRunner r = supervisor.loaded().getFirst();
        ProcessMemory m = r.memory().orElseThrow();
        assertThat(m.residentBytes()).isGreaterThan(20L << 20);
        assertThat(m.peakResidentBytes()).isGreaterThanOrEqualTo(m.residentBytes());
        assertThat(local.loadedModels()).singleElement().satisfies(l -> {
            assertThat(l.memoryBytes()).isPositive();
            assertThat(l.expiresAt()).isAfter(java.time.Instant.now().plusSeconds(60));
        });
    }

    @Test
    void theOfficialOpenAiClientTalksToTheRunnerStreamingAndNot() {
        LoadedRunner r = local.load("tiny", RunnerDefaults.Overrides.NONE).runner();
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + r.port() + "/v1").apiKey(r.token()).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("tiny:latest").addUserMessage("Hi")
                .maxCompletionTokens(8).temperature(0.0).seed(1).build();

        ChatCompletion completion = client.chat().completions().create(params);
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(8);

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }
        assertThat(streamed.toString()).isEqualTo(completion.choices().getFirst().message().content().orElse(""));
        assertThat(client.models().list().data()).extracting(m -> m.id()).containsExactly("tiny:latest");
    }

    @Test
    void theOpenAiProviderWorksAgainstTheRunnerLikeAnyServer() {
        LoadedRunner r = local.load("tiny", RunnerDefaults.Overrides.NONE).runner();
        OpenAiProvider provider = new OpenAiProvider("runner", r.baseUri().toString(),
                new OpenAiClient(new JsonHttp("runner", Duration.ofSeconds(2)), r.baseUri(), r.token(), Duration.ofSeconds(60)));

        assertThat(provider.listModels()).extracting(m -> m.name()).containsExactly("tiny:latest");
        ChatResult viaProvider = provider.chat(hello(6), TokenListener.NONE);
        assertThat(viaProvider.completionTokens()).isEqualTo(6);
        assertThat(viaProvider.text()).isEqualTo(local.chat(hello(6), TokenListener.NONE).text());
    }

    @Test
    void requestsWithoutTheTokenOrWithBadInputGetClearErrors() throws Exception {
        LoadedRunner r = local.load("tiny", RunnerDefaults.Overrides.NONE).runner();
        HttpClient http = HttpClient.newHttpClient();
        URI chat = URI.create("http://127.0.0.1:" + r.port() + "/v1/chat/completions");
        String longPrompt = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x ".repeat(400) + "\"}]}";

        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(chat).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> tooLong = http.send(HttpRequest.newBuilder(chat).header("Authorization", "Bearer " + r.token())
                .POST(HttpRequest.BodyPublishers.ofString(longPrompt)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badJson = http.send(HttpRequest.newBuilder(chat).header("Authorization", "Bearer " + r.token())
                .POST(HttpRequest.BodyPublishers.ofString("{oops")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("but the context holds 512");
        // 900 KB: refused from a prefix's token count, not after tokenising all of it
        String huge = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x ".repeat(450_000) + "\"}]}";
        HttpResponse<String> hugeAnswer = http.send(HttpRequest.newBuilder(chat).header("Authorization", "Bearer " + r.token())
                .POST(HttpRequest.BodyPublishers.ofString(huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hugeAnswer.statusCode()).isEqualTo(400);
        assertThat(hugeAnswer.body()).contains("but the context holds 512");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).contains("not valid JSON");
    }

    @Test
    void cancellingAStreamStopsGenerationAndTheRunnerServesTheNextRequest() throws Exception {
        LoadedRunner r = local.load("tiny", RunnerDefaults.Overrides.NONE).runner();
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Go\"}],\"max_tokens\":400,\"stream\":true,\"temperature\":0}";
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(r.baseUri().resolve("chat/completions"))
                .header("Authorization", "Bearer " + r.token()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            in.readNBytes(300); // the first events, then hang up
        }

        ChatResult next = local.chat(hello(4), TokenListener.NONE); // served: the hung-up generation does not hold the runner
        assertThat(next.completionTokens()).isEqualTo(4);
    }

    @Test
    void aRunnerThatUnloadedAfterItsKeepAliveIsStartedAgainWithoutACrashReport() throws Exception {
        LoadedRunner first = local.load("tiny", new RunnerDefaults.Overrides(null, null, null, 1L, null)).runner();
        ProcessHandle.of(first.pid()).ifPresent(h -> h.onExit().join()); // idle for its 1 s keep-alive, it leaves by itself

        ChatResult r = local.chat(hello(2), TokenListener.NONE);

        assertThat(r.completionTokens()).isEqualTo(2);
        assertThat(warnings).noneSatisfy(w -> assertThat(w).contains("exited unexpectedly"));
        assertThat(supervisor.loaded()).singleElement().satisfies(l -> assertThat(l.pid()).isNotEqualTo(first.pid()));
    }

    @Test
    void aLoadSlowerThanTheStartTimeoutIsAnErrorToFixNotABug() {
        RunnerSupervisor impatient = new RunnerSupervisor(home, new RunnerDefaults(512, 2, 512, 0, 120, 3, Duration.ofMillis(1)),
                new GgufReader(), Clock.systemUTC(), warnings::add, true);
        LocalProvider hurried = new LocalProvider(store, impatient);

        assertThatThrownBy(() -> hurried.load("tiny", RunnerDefaults.Overrides.NONE))
                .isInstanceOfSatisfying(dev.paddock.error.PaddockException.class, e -> assertThat(e.code().exitCode()).isEqualTo(1))
                .hasMessageContaining("was not ready after 0 s").hasMessageContaining("raise runner.start_timeout");
        assertThat(impatient.loaded()).isEmpty();
    }

    @Test
    void aKilledRunnerIsReportedAndStartedAgainOnTheNextRequest() throws Exception {
        LoadedRunner first = local.load("tiny", RunnerDefaults.Overrides.NONE).runner();
        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(first.pid()).ifPresent(h -> h.onExit().join());

        ChatResult r = local.chat(hello(3), TokenListener.NONE);

        assertThat(r.completionTokens()).isEqualTo(3);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("tiny:latest had exited unexpectedly"));
        assertThat(supervisor.loaded()).singleElement().satisfies(l -> assertThat(l.pid()).isNotEqualTo(first.pid()));
    }

    @Test
    void aRunnerKilledMidStreamGivesTheClientAClearErrorAndTheParentStaysUp() {
        LoadedRunner r = local.load("tiny", RunnerDefaults.Overrides.NONE).runner();
        AtomicInteger pieces = new AtomicInteger();
        TokenListener killer = text -> {
            if (pieces.incrementAndGet() == 2) {
                ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        };

        assertThatThrownBy(() -> local.chat(new ChatRequest("tiny", List.of(ChatMessage.user("Go")), 400, 0.0, 1L, List.of(), null),
                killer))
                .isInstanceOf(PaddockException.class)
                .hasMessageContaining("the runner for tiny:latest exited unexpectedly")
                .extracting(e -> ((PaddockException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(local.chat(hello(2), TokenListener.NONE).completionTokens()).isEqualTo(2);
    }

    @Test
    void anIdleRunnerUnloadsAfterItsKeepAlive() throws Exception {
        LoadedRunner r = local.load("tiny", new RunnerDefaults.Overrides(null, null, null, 1L, null)).runner();

        ProcessHandle.of(r.pid()).orElseThrow().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(supervisor.loaded()).isEmpty();
    }

    @Test
    void aCorruptedBlobIsRefusedBeforeAnyRunnerStarts() throws Exception {
        Path blob = store.blobPath(store.get(ModelName.parse("tiny")));
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(4);
            f.writeInt(0x63000000); // version 99, little-endian
        }

        assertThatThrownBy(() -> local.load("tiny", RunnerDefaults.Overrides.NONE))
                .hasMessageStartingWith("unsupported GGUF version 99");
        assertThat(supervisor.loaded()).isEmpty();
        assertThat(home.resolve("logs")).doesNotExist();
    }

    @Test
    void architecturesTheEmbeddedEngineDoesNotKnowAreRefusedWithTheReason() throws Exception {
        Path qwen3 = files.resolve("qwen3.gguf");
        new GgufWriter().write(qwen3, Map.of("general.architecture", new GgufValue.Str("qwen3")), List.of(
                new GgufWriter.Tensor("token_embd.weight", List.of(32L, 4L), GgmlType.F32, (b, first, n) -> {
                    for (long i = 0; i < n; i++) {
                        b.putFloat(0);
                    }
                })));
        store.importFile(qwen3, ModelName.parse("qwen3:test"), false, ImportProgress.NONE);

        assertThatThrownBy(() -> local.load("qwen3:test", RunnerDefaults.Overrides.NONE))
                .hasMessage("qwen3 models need a newer llama.cpp than the embedded engine (b4916); "
                        + "paddock engine install builds a current one");
    }

    @Test
    void atMostMaxLoadedRunnersStayLoaded() {
        RunnerSupervisor one = supervisor(1);
        LocalProvider onlyOne = new LocalProvider(store, one);
        store.importFile(TestModels.write(LlamaModelSpec.tiny().withSeed(5), files, "b.gguf"), ModelName.parse("other"),
                false, ImportProgress.NONE);

        LoadedRunner a = onlyOne.load("tiny", RunnerDefaults.Overrides.NONE).runner();
        onlyOne.load("other", RunnerDefaults.Overrides.NONE);

        assertThat(one.loaded()).extracting(LoadedRunner::model).containsExactly("other:latest");
        assertThat(a.alive()).isFalse();
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("unloading tiny:latest"));
    }

    @Test
    void aSecondCommandReusesTheRunningModel() {
        RunnerSupervisor.Loaded first = local.load("tiny", RunnerDefaults.Overrides.NONE);
        RunnerSupervisor.Loaded again = new LocalProvider(store, supervisor(3)).load("tiny", RunnerDefaults.Overrides.NONE);

        assertThat(first.started()).isTrue();
        assertThat(again.started()).isFalse();
        assertThat(again.runner().pid()).isEqualTo(first.runner().pid());
        assertThat(Files.exists(Path.of(first.runner().logFile()))).isTrue();
    }

    @Test
    void concurrentRequestsForAModelShareOneRunner() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<ChatResult>>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> local.chat(hello(3), TokenListener.NONE)));
            }
            for (var a : answers) {
                assertThat(a.get().completionTokens()).isEqualTo(3);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(supervisor.loaded()).hasSize(1);
    }
}
