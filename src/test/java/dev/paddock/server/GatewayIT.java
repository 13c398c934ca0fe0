package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.paddock.serving.RequestRecord;
import dev.paddock.testing.TestModels;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /v1 gateway with the official OpenAI Java SDK as its client, backed by a real runner on a generated model. */
@Tag("e2e")
class GatewayIT {
    @TempDir Path home;
    @TempDir Path files;
    private ServerFixture s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(s.base + "/v1").apiKey("unused").maxRetries(0).build();
    }

    private void importTiny() {
        assertThat(s.post("/api/models/import", "{\"path\": \"" + TestModels.tiny(files, "t.gguf") + "\", \"name\": \"tiny:f32\"}").status())
                .isEqualTo(201);
    }

    @Test
    void requestsToANameWithAndWithoutItsTagCountAsOneModelInTheStatus() {
        s = ServerFixture.start(home);
        assertThat(s.post("/api/models/import", "{\"path\": \"" + TestModels.tiny(files, "t.gguf") + "\", \"name\": \"tiny\"}").status())
                .isEqualTo(201);
        assertThat(s.post("/api/active", "{\"model\": \"tiny\"}").status()).isEqualTo(200);
        OpenAIClient client = client();
        for (String name : List.of("tiny", "tiny:latest", "TINY")) {
            client.chat().completions().create(ChatCompletionCreateParams.builder().model(name).addUserMessage("Hi")
                    .maxCompletionTokens(4).temperature(0.0).seed(1).build());
        }

        assertThat(s.get("/api/status").json().get("requests").asInt()).isEqualTo(3);
    }

    @Test
    void theOpenAiSdkChatsThroughTheGatewayStreamingAndNotAndEveryRequestIsLogged() {
        s = ServerFixture.start(home);
        importTiny();
        OpenAIClient client = client();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("tiny:f32").addUserMessage("Hi")
                .maxCompletionTokens(8).temperature(0.0).seed(1).build();

        ChatCompletion completion = client.chat().completions().create(params);
        assertThat(completion.model()).isEqualTo("tiny:f32");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(8);

        StringBuilder streamed = new StringBuilder();
        int[] chunks = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks[0]++;
                chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
            });
        }
        assertThat(chunks[0]).as("role, content and finish chunks").isGreaterThanOrEqualTo(3);
        assertThat(streamed.toString()).isEqualTo(completion.choices().getFirst().message().content().orElse(""));
        assertThat(client.models().list().data()).extracting(m -> m.id()).contains("tiny:f32", "auto", "auto:code");

        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("nope:missing")
                .addUserMessage("Hi").build())).isInstanceOf(NotFoundException.class);

        List<RequestRecord> log = s.paddock.requestLog().since(Instant.EPOCH, null);
        assertThat(log).extracting(RequestRecord::source).containsOnly(Gateway.SOURCE);
        assertThat(log).filteredOn(r -> r.outcome().equals(RequestRecord.OK)).hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.model()).isEqualTo("tiny:f32");
                    assertThat(r.durationMillis()).isPositive(); // TTFT only where a piece of text arrived: random weights may emit none
                    assertThat(r.completionTokens()).isEqualTo(8);
                });
        JsonNode analytics = s.get("/api/analytics?from=1h").json();
        assertThat(analytics.get("models")).anySatisfy(m -> {
            assertThat(m.get("model").asText()).isEqualTo("tiny:f32");
            assertThat(m.get("requests").asInt()).isEqualTo(2);
            assertThat(m.get("completionTokens").asInt()).isEqualTo(16);
            assertThat(m.get("p50LatencyMillis").asDouble()).isPositive();
        });
    }

    @Test
    void aCloudModelIsReachedByNameAndItsRequestIsLoggedWithItsCost() throws Exception {
        try (dev.paddock.testing.FakeHttpServer openai = new dev.paddock.testing.FakeHttpServer()) {
            // OpenAI's documented streaming format, with the usage chunk that stream_options.include_usage asks for
            openai.on("POST /v1/chat/completions", dev.paddock.testing.FakeHttpServer.Answer.stream("text/event-stream", List.of(
                    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                            + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
                    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                            + "\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n",
                    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[],"
                            + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":2000,\"total_tokens\":3000}}\n\n",
                    "data: [DONE]\n\n")));
            Files.writeString(home.resolve("config.toml"), "[providers.openai]\nkind = \"openai\"\nurl = \"" + openai.url() + "/v1\"\n");
            s = ServerFixture.start(home);

            ChatCompletion c = client().chat().completions().create(ChatCompletionCreateParams.builder().model("openai/gpt-4o")
                    .addUserMessage("Hi").build());

            assertThat(c.choices().getFirst().message().content()).contains("Hello");
            RequestRecord logged = s.paddock.requestLog().since(Instant.EPOCH, null).getLast();
            assertThat(logged.provider()).isEqualTo("openai");
            assertThat(logged.outcome()).isEqualTo(RequestRecord.OK);
            var price = s.paddock.registry().find("openai/gpt-4o").orElseThrow().price();
            assertThat(logged.costUsd()).isCloseTo((1000 * price.inputPerMillion() + 2000 * price.outputPerMillion()) / 1e6,
                    org.assertj.core.data.Offset.offset(1e-12));
            assertThat(s.get("/api/analytics?from=1h").json().at("/models/0/costUsd").asDouble()).isEqualTo(logged.costUsd());
        }
    }

    @Test
    void autoRoutingFallsBackToTheNextChoiceWhenTheFirstProviderIsDown() throws Exception {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        // A configured cloud provider ranks above a tiny local model for code, but nothing answers at its address.
        Files.writeString(home.resolve("config.toml"), "[providers.openai]\nkind = \"openai\"\nurl = \"http://127.0.0.1:" + dead + "/v1\"\n");
        s = ServerFixture.start(home);
        importTiny();

        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder().model("auto:code")
                .addUserMessage("Write a function").maxCompletionTokens(4).build());

        assertThat(completion.model()).isEqualTo("tiny:f32");
        assertThat(completion.choices().getFirst().message().content()).isPresent();
        List<RequestRecord> log = s.paddock.requestLog().since(Instant.EPOCH, null);
        assertThat(log.getFirst().provider()).as("the first choice was the cloud provider").isEqualTo("openai");
        assertThat(log.getFirst().outcome()).isEqualTo(RequestRecord.ERROR);
        assertThat(log.getLast().provider()).isEqualTo("local");
        assertThat(log.getLast().outcome()).isEqualTo(RequestRecord.OK);

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("auto:code").addUserMessage("Write a function").maxCompletionTokens(4).build())) {
            stream.stream().forEach(chunk -> {
                assertThat(chunk.model()).isEqualTo("tiny:f32");
                chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
            });
        }
        assertThat(streamed).isNotNull();
    }
}
