package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import dev.paddock.engine.Backend;
import dev.paddock.engine.EngineService;
import dev.paddock.engine.InstallProgress;
import dev.paddock.runner.LoadedRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tools and JSON schemas through the gateway to the real llama-server, with the OpenAI SDK as the client. The model
 * has random weights, so what it says means nothing; but llama.cpp constrains its sampling by a grammar made from the
 * schema, so the answer must still be JSON that matches it: a check that fails if the schema never reached the engine.
 */
@Tag("engine")
class GatewayEngineIT {
    @TempDir Path home;
    @TempDir Path files;
    private ServerFixture s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.paddock.supervisor().loaded().forEach(r -> s.paddock.supervisor().stop(dev.paddock.model.ModelName.parse(r.model())));
            s.close();
        }
    }

    private OpenAIClient start() {
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache") + "/paddock";
        s = new ServerFixture(home, ServerSettings.loopback(0).withOllamaPort(0), Map.of("PATH", System.getenv("PATH"),
                "PADDOCK_ENGINE_CACHE_DIR", cache));
        s.paddock.engines().install(new EngineService.InstallRequest(null, null, Backend.CPU,
                Runtime.getRuntime().availableProcessors(), false), InstallProgress.NONE);
        s.importTiny(files, "tiny:latest");
        Path tools = dev.paddock.testing.TestModels.write(dev.paddock.gguf.LlamaModelSpec.tiny().withToolCalling(), files, "tools.gguf");
        assertThat(s.post("/api/models/import", "{\"path\": \"" + tools + "\", \"name\": \"tools\"}").status()).isEqualTo(201);
        return OpenAIOkHttpClient.builder().baseUrl(s.base + "/v1").apiKey("unused").maxRetries(0).build();
    }

    private static final Set<String> CITIES = Set.of("Paris", "Lyon", "Nice");

    private static Map<String, Object> citySchema() {
        return Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string", "enum", List.copyOf(CITIES)),
                "sunny", Map.of("type", "boolean")), "required", List.of("city", "sunny"), "additionalProperties", false);
    }

    private static JsonNode json(String text) {
        try {
            return ServerFixture.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void aRequiredToolCallStreamsAsToolCallDeltasWhoseArgumentsMatchTheToolsSchema() {
        OpenAIClient client = start();
        FunctionParameters.Builder params = FunctionParameters.builder();
        citySchema().forEach((k, v) -> params.putAdditionalProperty(k, JsonValue.from(v)));
        // a random model seldom writes the "{" that opens a call; one logit bias (a llama.cpp field, passed through) makes it,
        // and from there the tool's grammar decides every token
        ChatCompletionCreateParams request = ChatCompletionCreateParams.builder().model("tools").addUserMessage("Weather in France?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Weather in a city")
                        .parameters(params.build()).build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).parallelToolCalls(false)
                .putAdditionalBodyProperty("logit_bias", JsonValue.from(List.of(List.of("{", 30))))
                .maxCompletionTokens(256).temperature(0.0).seed(7).build();

        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        int[] toolDeltas = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(request)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> toolDeltas[0] += c.delta().toolCalls().map(List::size).orElse(0));
                acc.accumulate(chunk);
            });
        }
        ChatCompletion done = acc.chatCompletion();

        ChatCompletionMessageFunctionToolCall call = done.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode args = json(call.function().arguments());
        assertThat(CITIES).contains(args.path("city").asText());
        assertThat(args.path("sunny").isBoolean()).isTrue();
        assertThat(toolDeltas[0]).as("the arguments came in pieces, as they were generated").isGreaterThan(1);
        assertThat(done.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void aNamedToolChoiceIsACallOfThatToolAmongSeveral() {
        // llama-server takes tool_choice as a string only: sent as OpenAI's object, it was read as auto and answered with text
        OpenAIClient client = start();
        FunctionParameters.Builder weather = FunctionParameters.builder();
        citySchema().forEach((k, v) -> weather.putAdditionalProperty(k, JsonValue.from(v)));
        FunctionParameters time = FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("zone", Map.of("type", "string", "enum", List.of("UTC")))))
                .putAdditionalProperty("required", JsonValue.from(List.of("zone"))).build();
        ChatCompletionCreateParams request = ChatCompletionCreateParams.builder().model("tools").addUserMessage("Weather in France?")
                .addFunctionTool(FunctionDefinition.builder().name("get_time").parameters(time).build())
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").parameters(weather.build()).build())
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build())
                .putAdditionalBodyProperty("logit_bias", JsonValue.from(List.of(List.of("{", 30))))
                .maxCompletionTokens(256).temperature(0.0).seed(7).build();

        ChatCompletion done = client.chat().completions().create(request);

        List<ChatCompletionMessageToolCall> calls = done.choices().getFirst().message().toolCalls().orElseThrow();
        assertThat(calls).isNotEmpty().allSatisfy(c -> assertThat(c.asFunction().function().name()).isEqualTo("get_weather"));
        assertThat(CITIES).contains(json(calls.getFirst().asFunction().function().arguments()).path("city").asText());
    }

    @Test
    void aStrictJsonSchemaAnswerIsJsonMatchingTheSchemaStreamedOrNot() {
        OpenAIClient client = start();
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        citySchema().forEach((k, v) -> schema.putAdditionalProperty(k, JsonValue.from(v)));
        ChatCompletionCreateParams request = ChatCompletionCreateParams.builder().model("tiny").addUserMessage("A sunny French city?")
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("city").strict(true).schema(schema.build()).build()).build())
                .maxCompletionTokens(256).temperature(0.0).seed(7).build();

        ChatCompletion whole = client.chat().completions().create(request);
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(request)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }

        for (String answer : List.of(whole.choices().getFirst().message().content().orElseThrow(), streamed.toString())) {
            JsonNode n = json(answer);
            assertThat(CITIES).contains(n.path("city").asText());
            assertThat(n.path("sunny").isBoolean()).isTrue();
            assertThat(n.size()).isEqualTo(2);
        }
        assertThat(whole.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void aSchemasPatternsAreEnforcedEvenThoseLlamaCppWouldTakeForAnyString() throws Exception {
        // llama.cpp reads neither \d nor an unanchored pattern: each was "any string", with a warning in the runner's log only
        start();
        ServerFixture.Reply r = s.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":200,\"temperature\":0,\"seed\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Code?\"}],\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"code\",\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{"
                + "\"zip\":{\"type\":\"string\",\"pattern\":\"^\\\\d{3}-\\\\d{2}$\"}},\"required\":[\"zip\"],"
                + "\"additionalProperties\":false}}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(json(r.json().at("/choices/0/message/content").asText()).path("zip").asText()).matches("[0-9]{3}-[0-9]{2}");

        // patterns a random model never ends (what comes around an unanchored match is free): the engine takes each whole
        String patterns = "{\"model\":\"tiny\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"x[0-9]\"},\"b\":{\"type\":\"string\","
                + "\"pattern\":\"^https?:\\\\/\\\\/\\\\w+\"}}}}}}";
        assertThat(s.post("/v1/chat/completions", patterns).status()).isEqualTo(200);
        LoadedRunner runner = s.paddock.supervisor().loaded().stream().filter(l -> l.model().equals("tiny:latest")).findFirst().orElseThrow();
        Path log = Path.of(runner.logFile());
        String incomplete = "JSON schema conversion was incomplete";
        // the same request straight to the engine: its log says so, which shows the log would have told
        var direct = java.net.http.HttpRequest.newBuilder(runner.baseUri().resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(patterns));
        if (runner.token() != null) {
            direct.header("Authorization", "Bearer " + runner.token());
        }
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            assertThat(http.send(direct.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        // llama-server writes its stderr straight into the log (unbuffered) while it reads the request, before it answers
        String text = java.nio.file.Files.readString(log);
        assertThat(text).contains(incomplete);
        assertThat(text.indexOf(incomplete)).as("none from the requests through the gateway, which came first")
                .isEqualTo(text.lastIndexOf(incomplete));

        ServerFixture.Reply lookbehind = s.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":8,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"^(?<=a)b$\"}}}}}}");
        assertThat(lookbehind.status()).isEqualTo(400);
        assertThat(lookbehind.json().at("/error/message").asText()).contains("^(?<=a)b$", "lookaround");
    }

    @Test
    void toolCallsInTheConversationOfAModelWithoutToolCallingAreA400NotLeftOutOfThePrompt() {
        start();
        ServerFixture.Reply r = s.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":4,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
                + "\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).contains("tool calls or tool results", "tiny", "no tool calling");
    }

    @Test
    void theAnthropicSdkStreamsFromTheLocalEngineThroughV1Messages() {
        start();
        com.anthropic.client.AnthropicClient claude = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder().baseUrl(s.base)
                .apiKey("unused").maxRetries(0).build();
        com.anthropic.models.messages.MessageCreateParams params = com.anthropic.models.messages.MessageCreateParams.builder()
                .model("tiny").maxTokens(8).system("Be brief.").addUserMessage("Hello")
                .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0.0)).build();
        com.anthropic.helpers.MessageAccumulator acc = com.anthropic.helpers.MessageAccumulator.create();
        List<com.anthropic.models.messages.Usage> started = new ArrayList<>();
        try (var stream = claude.messages().createStreaming(params)) {
            stream.stream().peek(e -> e.messageStart().ifPresent(st -> started.add(st.message().usage()))).forEach(acc::accumulate);
        }
        com.anthropic.models.messages.Message m = acc.message();
        com.anthropic.models.messages.Message whole = claude.messages().create(params);

        long counted = claude.messages().countTokens(com.anthropic.models.messages.MessageCountTokensParams.builder().model("tiny")
                .system("Be brief.").addUserMessage("Hello").build()).inputTokens();
        assertThat(counted).as("the count is the prompt the engine then reads, from its cache or not")
                .isEqualTo(whole.usage().inputTokens() + whole.usage().cacheReadInputTokens().orElse(0L));
        assertThat(m.usage().outputTokens()).isEqualTo(8);
        assertThat(m.stopReason()).contains(com.anthropic.models.messages.StopReason.MAX_TOKENS);
        assertThat(m.content().getFirst().text().orElseThrow().text()).as("seeded and greedy: the same answer both ways")
                .isEqualTo(whole.content().getFirst().text().orElseThrow().text());
        assertThat(started).singleElement().satisfies(u -> assertThat(u.inputTokens() + u.cacheReadInputTokens().orElse(0L))
                .as("message_start already counts the prompt").isEqualTo(counted));

        // a stop sequence taken from the answer itself ends the same greedy answer there, and is named as what ended it
        String text = whole.content().getFirst().text().orElseThrow().text();
        int end = text.stripTrailing().length();
        assertThat(end).as("the answer has text to stop at: " + text).isPositive();
        String stop = text.substring(Math.max(0, end - 2), end);
        var stopping = params.toBuilder().stopSequences(List.of(stop)).build();
        com.anthropic.models.messages.Message cut = claude.messages().create(stopping);
        com.anthropic.helpers.MessageAccumulator cutAcc = com.anthropic.helpers.MessageAccumulator.create();
        try (var stream = claude.messages().createStreaming(stopping)) {
            stream.stream().forEach(cutAcc::accumulate);
        }
        for (com.anthropic.models.messages.Message c : List.of(cut, cutAcc.message())) {
            assertThat(c.stopReason()).contains(com.anthropic.models.messages.StopReason.STOP_SEQUENCE);
            assertThat(c.stopSequence()).contains(stop);
            assertThat(c.content().getFirst().text().orElseThrow().text()).isEqualTo(text.substring(0, text.indexOf(stop)));
        }
        assertThat(claude.messages().create(params).stopSequence()).as("no stop sequence: none named").isEmpty();
    }

    @Test
    void embeddingsOfALocalModelHaveItsEmbeddingLengthAreDeterministicAndTheSameRunnerStillChats() {
        OpenAIClient client = start();
        var params = com.openai.models.embeddings.EmbeddingCreateParams.builder().model("tiny")
                .inputOfArrayOfStrings(List.of("the cat sat", "on the mat", "the cat sat")).build();

        var first = client.embeddings().create(params);
        var again = client.embeddings().create(params);

        int length = (int) dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength();
        assertThat(first.data()).hasSize(3);
        assertThat(first.data()).allSatisfy(e -> assertThat(e.embedding()).hasSize(length));
        assertThat(first.data().get(0).embedding()).as("the same text, the same vector").isEqualTo(first.data().get(2).embedding());
        assertThat(first.data().get(0).embedding()).isNotEqualTo(first.data().get(1).embedding());
        assertThat(again.data().get(1).embedding()).isEqualTo(first.data().get(1).embedding());
        assertThat(first.usage().promptTokens()).isPositive();
        ServerFixture.Reply base64 = s.post("/v1/embeddings", "{\"model\":\"tiny\",\"input\":\"on the mat\",\"encoding_format\":\"base64\"}");
        java.nio.FloatBuffer decoded = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(base64.json().path("data").get(0)
                .path("embedding").asText())).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertThat(decoded.remaining()).isEqualTo(length);
        assertThat((double) decoded.get(0)).isEqualTo(first.data().get(1).embedding().getFirst(), org.assertj.core.data.Offset.offset(1e-6));

        ChatCompletion chat = client.chat().completions().create(ChatCompletionCreateParams.builder().model("tiny").addUserMessage("Hi")
                .maxCompletionTokens(4).build());
        assertThat(chat.usage().orElseThrow().completionTokens()).isEqualTo(4);
        assertThat(s.paddock.supervisor().loaded()).as("one runner serves both").hasSize(1);
        assertThat(s.post("/v1/embeddings", "{\"model\":\"tiny\",\"input\":\"x\",\"dimensions\":7}").json().path("error")
                .path("message").asText()).contains("dimensions", String.valueOf(length));
    }

    @Test
    void anEmbeddingsRequestWaitsForTheAnswerInProgressBeforeItsRunnerIsReloadedAndTakesInputsAsLongAsTheContext()
            throws Exception {
        OpenAIClient client = start();
        ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model("tiny").addUserMessage("Tell me a long story")
                .maxCompletionTokens(300).temperature(0.0).seed(1)
                .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        java.util.concurrent.CompletableFuture<Void> firstPiece = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<ChatCompletion> answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat)) {
                stream.stream().forEach(c -> {
                    acc.accumulate(c);
                    firstPiece.complete(null);
                });
            }
            return acc.chatCompletion();
        });
        answer.whenComplete((done, failed) -> firstPiece.complete(null)); // an answer that fails says so below, not by hanging here
        firstPiece.get(); // the answer is being written: now the runner must reload with embeddings on

        var e = client.embeddings().create(com.openai.models.embeddings.EmbeddingCreateParams.builder().model("tiny")
                .input("x".repeat(1500)).build()); // 1,501 tokens: more than llama.cpp's default physical batch of 512

        assertThat(answer.get().usage().orElseThrow().completionTokens()).as("the answer in progress was not cut off").isEqualTo(300);
        assertThat(e.data().getFirst().embedding()).hasSize((int) dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength());
        ServerFixture.Reply tooLong = s.post("/v1/embeddings", "{\"model\":\"tiny\",\"input\":\"" + "x".repeat(3000) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("error").path("message").asText()).contains("tokens is longer than", "split it");
    }

    @Test
    void aTextCompletionContinuesThePromptStreamedOrNot() {
        OpenAIClient client = start();
        var params = com.openai.models.completions.CompletionCreateParams.builder()
                .model(com.openai.models.completions.CompletionCreateParams.Model.of("tiny")).prompt("Once upon a time")
                .maxTokens(6).temperature(0.0).seed(3).build();

        var whole = client.completions().create(params);
        StringBuilder streamed = new StringBuilder();
        try (var stream = client.completions().createStreaming(params)) {
            stream.stream().forEach(c -> c.choices().forEach(choice -> streamed.append(choice.text())));
        }

        assertThat(whole.choices().getFirst().text()).isEqualTo(streamed.toString()).isNotEmpty();
        assertThat(whole.usage().orElseThrow().completionTokens()).isEqualTo(6);
        assertThat(whole.choices().getFirst().finishReason()).isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);

        // log-probabilities in this API's shape: a token, its log-probability, 3 alternatives and its offset from the prompt's start
        var withLogprobs = params.toBuilder().logprobs(3).build();
        var lp = client.completions().create(withLogprobs).choices().getFirst().logprobs().orElseThrow();
        assertThat(lp.tokens().orElseThrow()).hasSize(6);
        assertThat(String.join("", lp.tokens().orElseThrow())).isEqualTo(whole.choices().getFirst().text());
        assertThat(lp.tokenLogprobs().orElseThrow()).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0.0));
        // 3 alternatives each, as {token: logprob}: fewer keys where two of a random model's tokens print alike
        assertThat(lp.topLogprobs().orElseThrow()).allSatisfy(top -> assertThat(top._additionalProperties()).isNotEmpty().hasSizeLessThanOrEqualTo(3));
        assertThat(lp.topLogprobs().orElseThrow()).anySatisfy(top -> assertThat(top._additionalProperties()).hasSize(3));
        assertThat(lp.textOffset().orElseThrow().getFirst()).isEqualTo("Once upon a time".length());
        java.util.List<String> streamedTokens = new java.util.ArrayList<>();
        try (var stream = client.completions().createStreaming(withLogprobs)) {
            stream.stream().forEach(c -> c.choices().forEach(choice -> choice.logprobs().flatMap(l -> l.tokens())
                    .ifPresent(streamedTokens::addAll)));
        }
        assertThat(streamedTokens).isEqualTo(lp.tokens().orElseThrow());
    }

    @Test
    void anOllamaClientLoadsChatsWithAndListsALocalModelOnTheOllamaPort() throws Exception {
        start();
        String ollama = "http://127.0.0.1:" + s.server.ollamaPort().orElseThrow();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String[], String> post = pathAndBody -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ollama + pathAndBody[0]))
                        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(pathAndBody[1])).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };

        JsonNode loaded = json(post.apply(new String[] {"/api/generate", "{\"model\": \"tiny\", \"keep_alive\": \"30m\"}"}));
        assertThat(loaded.path("done_reason").asText()).as(loaded.toString()).isEqualTo("load");
        JsonNode ps = json(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ollama + "/api/ps")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertThat(java.time.Instant.parse(ps.path("models").get(0).path("expires_at").asText()))
                .as("the load's own keep_alive").isAfter(java.time.Instant.now().plusSeconds(25 * 60));
        assertThat(json(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ollama + "/api/ps")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("models").get(0).path("name").asText()).isEqualTo("tiny:latest");

        List<JsonNode> lines = post.apply(new String[] {"/api/chat", "{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\","
                + " \"content\": \"Hello\"}], \"options\": {\"num_predict\": 5, \"temperature\": 0, \"seed\": 1, \"num_ctx\": 1024}}"})
                .lines()
                .map(GatewayEngineIT::json).toList();
        JsonNode done = lines.getLast();
        assertThat(done.path("done").asBoolean()).isTrue();
        assertThat(done.path("eval_count").asInt()).isEqualTo(5);
        assertThat(done.path("done_reason").asText()).isEqualTo("length");
        assertThat(done.path("eval_duration").asLong()).as("the engine's own timing").isPositive();
        assertThat(done.path("load_duration").asLong()).as("num_ctx reloaded the model for this answer").isPositive();
        assertThat(lines.size()).isGreaterThan(1);
        assertThat(s.paddock.supervisor().loaded()).singleElement().satisfies(r -> assertThat(r.contextSize())
                .as("num_ctx loads the model with that context").isEqualTo(1024));
        JsonNode psAfter = json(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ollama + "/api/ps")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertThat(psAfter.path("models").get(0).path("context_length").asInt()).isEqualTo(1024);
        JsonNode cut = json(post.apply(new String[] {"/api/embed", "{\"model\": \"tiny\", \"input\": \"" + "x".repeat(3000) + "\"}"}));
        assertThat(cut.path("embeddings").get(0).size()).as("truncated to the context, as Ollama does by default")
                .isEqualTo((int) dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength());
        JsonNode refused = json(post.apply(new String[] {"/api/embed", "{\"model\": \"tiny\", \"truncate\": false, \"input\": \""
                + "x".repeat(3000) + "\"}"}));
        assertThat(refused.path("error").asText()).contains("longer than");
    }

    @Test
    void logProbabilitiesOfTheChosenTokensComeWithTheAnswerStreamedOrNot() {
        OpenAIClient client = start();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("tiny").addUserMessage("Hi")
                .maxCompletionTokens(4).temperature(0.0).seed(1).logprobs(true).topLogprobs(2).build();

        ChatCompletion whole = client.chat().completions().create(params);
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }

        for (ChatCompletion c : List.of(whole, acc.chatCompletion())) {
            var entries = c.choices().getFirst().logprobs().orElseThrow().content().orElseThrow();
            assertThat(entries).hasSize(4);
            assertThat(entries).allSatisfy(e -> {
                assertThat(e.logprob()).isLessThanOrEqualTo(0.0);
                assertThat(e.topLogprobs()).hasSize(2);
            });
        }
        ChatCompletion none = client.chat().completions().create(params.toBuilder().topLogprobs(0).build());
        assertThat(none.choices().getFirst().logprobs().orElseThrow().content().orElseThrow()).as("OpenAI's default: no alternatives")
                .hasSize(4).allSatisfy(e -> assertThat(e.topLogprobs()).isEmpty());
    }

    @Test
    void toolsForALocalModelWhoseTemplateHasNoToolCallingAreA400NotAnAnswerThatIgnoresThem() {
        OpenAIClient client = start();
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("tiny")
                .addUserMessage("Weather?").addFunctionTool(FunctionDefinition.builder().name("get_weather").build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("tools", "tool calling"));
    }

    @Test
    void anImageForATextOnlyLocalModelAndASchemaThatCannotBeAGrammarAre400sWithTheReason() {
        OpenAIClient client = start();
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("tiny")
                .addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                        .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(png).build()).build()))).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("image content", "tiny"));

        ServerFixture.Reply r = s.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/definitions/missing\"}}}}}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).contains("local model tiny refused the request")
                .doesNotContain("127.0.0.1");
        ServerFixture.Reply audio = s.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":4,\"modalities\":[\"text\",\"audio\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(audio.status()).isEqualTo(400);
        assertThat(audio.json().path("error").path("message").asText()).contains("modalities");
    }

    /** A PNG of {@code w}×{@code h} pixels, as a client would send a screenshot. */
    private static String png(int w, int h) {
        var img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 9 % 256) << 16 | (y * 9 % 256) << 8 | 128);
            }
        }
        var out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(img, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return java.util.Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Test
    void anImageReachesALocalModelWithAVisionProjectorAsItsImageTokensThroughEachDialect() throws Exception {
        OpenAIClient client = start();
        Path model = dev.paddock.testing.TestModels.write(dev.paddock.gguf.LlamaModelSpec.tiny().withSeed(11), files, "vision.gguf");
        Path projector = files.resolve("mmproj-vision.gguf");
        dev.paddock.gguf.SyntheticProjector.write(projector, dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength(), 28, 3);
        ServerFixture.Reply imported = s.post("/api/models/import", "{\"path\": \"" + model + "\", \"mmproj\": \"" + projector
                + "\", \"name\": \"vision\"}");
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(imported.json().path("model").path("projector").path("sizeBytes").asLong()).isEqualTo(java.nio.file.Files.size(projector));
        String image = png(40, 30);

        ChatCompletionCreateParams textOnly = ChatCompletionCreateParams.builder().model("vision").maxCompletionTokens(3).temperature(0.0)
                .addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofText(
                        com.openai.models.chat.completions.ChatCompletionContentPartText.builder().text("What is this?").build()))).build();
        ChatCompletionCreateParams withImage = textOnly.toBuilder().addUserMessageOfArrayOfContentParts(List.of(
                ChatCompletionContentPart.ofText(com.openai.models.chat.completions.ChatCompletionContentPartText.builder()
                        .text("What is this?").build()),
                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(ChatCompletionContentPartImage.ImageUrl
                        .builder().url("data:image/png;base64," + image).build()).build()))).build();
        long text = client.chat().completions().create(textOnly).usage().orElseThrow().promptTokens();
        ChatCompletion seen = client.chat().completions().create(withImage);
        long both = seen.usage().orElseThrow().promptTokens();
        // the projector turns the image, scaled to 28x28 pixels in 14-pixel patches, into 4 tokens of the prompt; and the
        // second user turn adds the text again
        long secondTurn = client.chat().completions().create(textOnly.toBuilder().addUserMessage("What is this?").build())
                .usage().orElseThrow().promptTokens();
        assertThat(both).as("the image's 4 tokens besides the text's").isEqualTo(secondTurn + 4);
        // two images, then the same prompt with one: llama.cpp's prompt cache fails that ("Chunk not found"), so images go uncached
        ChatCompletionCreateParams twoImages = withImage.toBuilder().messages(List.of()).addUserMessageOfArrayOfContentParts(List.of(
                ChatCompletionContentPart.ofText(com.openai.models.chat.completions.ChatCompletionContentPartText.builder().text("Compare").build()),
                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(ChatCompletionContentPartImage.ImageUrl
                        .builder().url("data:image/png;base64," + image).build()).build()),
                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(ChatCompletionContentPartImage.ImageUrl
                        .builder().url("data:image/png;base64," + png(20, 20)).build()).build()))).build();
        ChatCompletionCreateParams oneOfThem = twoImages.toBuilder().messages(List.of()).addUserMessageOfArrayOfContentParts(List.of(
                ChatCompletionContentPart.ofText(com.openai.models.chat.completions.ChatCompletionContentPartText.builder().text("Compare").build()),
                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(ChatCompletionContentPartImage.ImageUrl
                        .builder().url("data:image/png;base64," + image).build()).build()))).build();
        long two = client.chat().completions().create(twoImages).usage().orElseThrow().promptTokens();
        long one = client.chat().completions().create(oneOfThem).usage().orElseThrow().promptTokens();
        assertThat(two).isEqualTo(one + 4);
        assertThat(client.chat().completions().create(oneOfThem).usage().orElseThrow().promptTokens()).isEqualTo(one);
        // a web address the engine cannot fetch: refused by name, not a failure of the runner
        assertThatThrownBy(() -> client.chat().completions().create(oneOfThem.toBuilder().messages(List.of()).addUserMessageOfArrayOfContentParts(
                List.of(ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(ChatCompletionContentPartImage
                        .ImageUrl.builder().url("https://example.com/cat.png").build()).build()))).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("data: URLs"));
        assertThat(seen.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(text).isLessThan(secondTurn);

        // Ollama's images and Anthropic's image blocks are the same image to the engine
        String ollama = "http://127.0.0.1:" + s.server.ollamaPort().orElseThrow();
        JsonNode answer = json(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                ollama + "/api/chat")).header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"model\": \"vision\", \"stream\": false, \"messages\": [{\"role\": \"user\", \"content\": \"What is this?\","
                        + " \"images\": [\"" + image + "\"]}], \"options\": {\"num_predict\": 2}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertThat(answer.path("prompt_eval_count").asLong()).as(answer.toString()).isEqualTo(text + 4);
        JsonNode shown = json(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                ollama + "/api/show")).header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"model\": \"vision\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertThat(shown.path("capabilities").toString()).contains("\"vision\"");
        com.anthropic.client.AnthropicClient claude = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder().baseUrl(s.base)
                .apiKey("unused").maxRetries(0).build();
        var m = claude.messages().create(com.anthropic.models.messages.MessageCreateParams.builder().model("vision").maxTokens(2)
                .addUserMessageOfContentBlockParams(List.of(
                        com.anthropic.models.messages.ContentBlockParam.ofText(com.anthropic.models.messages.TextBlockParam.builder()
                                .text("What is this?").build()),
                        com.anthropic.models.messages.ContentBlockParam.ofImage(com.anthropic.models.messages.ImageBlockParam.builder()
                                .source(com.anthropic.models.messages.Base64ImageSource.builder()
                                        .mediaType(com.anthropic.models.messages.Base64ImageSource.MediaType.IMAGE_PNG).data(image).build())
                                .build()))).build());
        assertThat(m.usage().inputTokens() + m.usage().cacheReadInputTokens().orElse(0L)).isEqualTo(text + 4);
        assertThat(s.get("/api/models").body()).contains("\"vision\":true");
    }

    @Test
    void severalChoicesOfALocalModelShareItsPromptAndComeBackStreamedOrNotUpToItsSlots() {
        OpenAIClient client = start();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("tiny").addUserMessage("Name a city")
                .n(2).maxCompletionTokens(4).temperature(1.0).build();

        ChatCompletion whole = client.chat().completions().create(params);
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        java.util.Set<Long> streamedIndexes = new java.util.TreeSet<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.toBuilder()
                .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> streamedIndexes.add(c.index()));
                acc.accumulate(chunk);
            });
        }
        ChatCompletion streamed = acc.chatCompletion();

        for (ChatCompletion c : List.of(whole, streamed)) {
            assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
            assertThat(c.choices()).allSatisfy(ch -> assertThat(ch.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH));
            assertThat(c.usage().orElseThrow().completionTokens()).as("4 tokens each").isEqualTo(8);
        }
        assertThat(streamedIndexes).containsExactly(0L, 1L);
        assertThatThrownBy(() -> client.chat().completions().create(params.toBuilder().n(9).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("\"n\" is 9", "runner.parallel"));
    }
}
