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
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tools, JSON schemas, images and sampling settings through the gateway, the official OpenAI SDK as the
 * client, to providers on 127.0.0.1 that answer in their documented formats (the streamed tool-use examples
 * of OpenAI's, Anthropic's, Gemini's and Ollama's API references).
 */
class GatewayToolsTest {
    @TempDir Path home;
    private FakeHttpServer upstream;
    private ServerFixture s;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeHttpServer();
        Files.writeString(home.resolve("config.toml"), """
                [providers.oai]
                kind = "openai"
                url = "%1$s/v1"
                [providers.claude]
                kind = "anthropic"
                url = "%1$s"
                api_key_env = "TEST_ANTHROPIC_KEY"
                [providers.gem]
                kind = "gemini"
                url = "%1$s"
                api_key_env = "TEST_GEMINI_KEY"
                [providers.olla]
                kind = "ollama"
                url = "%1$s"
                """.formatted(upstream.url()));
        s = new ServerFixture(home, ServerSettings.loopback(0), Map.of("TEST_ANTHROPIC_KEY", "sk-ant", "TEST_GEMINI_KEY", "g-key"));
    }

    @AfterEach
    void stop() {
        s.close();
        upstream.close();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(s.base + "/v1").apiKey("unused").maxRetries(0).build();
    }

    private static FunctionDefinition weather() {
        return FunctionDefinition.builder().name("get_weather").description("The weather in a city")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("location"))).build())
                .build();
    }

    private static ChatCompletionCreateParams.Builder weatherQuestion(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("What is the weather like in Paris today?")
                .addFunctionTool(weather());
    }

    /** Streams the request through the SDK's own accumulator, as an agent framework would. */
    private ChatCompletion streamed(ChatCompletionCreateParams params) {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.chatCompletion();
    }

    private static ChatCompletionMessageFunctionToolCall onlyCall(ChatCompletion c) {
        List<ChatCompletionMessageToolCall> calls = c.choices().getFirst().message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(1);
        return calls.getFirst().asFunction();
    }

    private JsonNode lastSent() {
        return ServerFixture.JSON.valueToTree(readTree(upstream.requests().getLast().body()));
    }

    private static JsonNode readTree(String body) {
        try {
            return ServerFixture.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }

    @Test
    void anOpenAiCompatibleServerGetsToolsAndUnknownFieldsUntouchedAndItsStreamedToolCallDeltasReachTheClient() {
        // OpenAI's documented streamed function call: the id and name first, the arguments in pieces
        String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,";
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                head + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_DdmO9pD3xa9XTPNJ32zg2hcA\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}],\"refusal\":null},"
                        + "\"logprobs\":null,\"finish_reason\":null}]}\n\n",
                head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
                head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"location\"}}]},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
                head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":\\\"Paris, France\\\"}\"}}]},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}\n\n",
                head + "\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}\n\n",
                "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":81,\"completion_tokens\":15,\"total_tokens\":96,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":64}}}\n\n",
                "data: [DONE]\n\n")));

        ChatCompletionCreateParams params = weatherQuestion("oai/gpt-4.1").parallelToolCalls(false).topP(0.9).frequencyPenalty(0.5)
                .putAdditionalBodyProperty("reasoning_effort", JsonValue.from("low")).build();
        ChatCompletion streamed = streamed(params);
        ChatCompletion whole = client().chat().completions().create(params);

        for (ChatCompletion c : List.of(streamed, whole)) {
            ChatCompletionMessageFunctionToolCall call = onlyCall(c);
            assertThat(call.id()).isEqualTo("call_DdmO9pD3xa9XTPNJ32zg2hcA");
            assertThat(call.function().name()).isEqualTo("get_weather");
            assertThat(readTree(call.function().arguments()).path("location").asText()).isEqualTo("Paris, France");
            assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        }
        assertThat(whole.choices().getFirst().message().content()).isEmpty();
        assertThat(whole.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).contains(64L);
        // what the answer cost at the registry's prices, as OpenRouter reports it: usage.cost in USD
        assertThat(whole.usage().orElseThrow()._additionalProperties().get("cost").convert(Double.class))
                .isPositive().isLessThan(0.01);
        JsonNode sent = lastSent();
        assertThat(sent.path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(sent.path("tools").get(0).path("function").path("parameters").path("required").get(0).asText()).isEqualTo("location");
        assertThat(sent.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.path("frequency_penalty").asDouble()).isEqualTo(0.5);
        assertThat(sent.path("reasoning_effort").asText()).as("a field Paddock does not know goes through").isEqualTo("low");
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1");
    }

    @Test
    void parallelToolCallsStreamAsCallsOfTheOneChoice() {
        // OpenAI's streamed parallel calls: each call's id and name, then its arguments, the pieces naming the call's index
        String head = "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,";
        String tail = "\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                head + "\"delta\":{\"role\":\"assistant\",\"content\":null},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
                head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":"
                        + "\"get_weather\",\"arguments\":\"\"}}]}," + tail,
                head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\": \\\"Paris\"}}]}," + tail,
                head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"}\"}}]}," + tail,
                head + "\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":"
                        + "\"get_weather\",\"arguments\":\"\"}}]}," + tail,
                head + "\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"location\\\": \\\"Tokyo\\\"}\"}}]}," + tail,
                head + "\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}\n\n",
                "data: [DONE]\n\n")));

        ChatCompletion c = streamed(weatherQuestion("oai/gpt-4.1").build());

        assertThat(c.choices()).hasSize(1);
        List<ChatCompletionMessageToolCall> calls = c.choices().getFirst().message().toolCalls().orElseThrow();
        assertThat(calls).extracting(t -> t.asFunction().id()).containsExactly("call_a", "call_b");
        assertThat(calls).extracting(t -> readTree(t.asFunction().function().arguments()).path("location").asText())
                .containsExactly("Paris", "Tokyo");
    }

    @Test
    void aConversationWithToolResultsAndAJsonSchemaReachesAnthropicInItsOwnTermsAndTheAnswerComesBackAsJsonText() {
        // Anthropic's documented streamed tool use: a text block, then a tool_use block whose input arrives as partial JSON
        upstream.on("POST /v1/messages", Answer.stream("text/event-stream", List.of(
                sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_014p7gG3wDgGV9EUtLvnow3U\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":472,"
                        + "\"output_tokens\":2},\"content\":[],\"stop_reason\":null}}"),
                sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Okay, let me check.\"}}"),
                sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{\\\"location\\\":\"}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\" \\\"San Francisco, CA\\\"}\"}}"),
                sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":89}}"),
                sse("message_stop", "{\"type\":\"message_stop\"}"))));

        ChatCompletion c = streamed(weatherQuestion("claude/claude-sonnet-4-5").toolChoice(
                com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.REQUIRED).build());

        ChatCompletionMessageFunctionToolCall call = onlyCall(c);
        assertThat(call.id()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(readTree(call.function().arguments()).path("location").asText()).isEqualTo("San Francisco, CA");
        assertThat(c.choices().getFirst().message().content()).contains("Okay, let me check.");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        JsonNode sent = lastSent();
        assertThat(sent.path("tools").get(0).path("input_schema").path("type").asText()).isEqualTo("object");
        assertThat(sent.path("tool_choice").path("type").asText()).as("required is Anthropic's any").isEqualTo("any");

        // the next turn: the model's call and the tool's result, as Anthropic's tool_use and tool_result blocks
        ChatCompletionCreateParams next = weatherQuestion("claude/claude-sonnet-4-5")
                .addMessage(c.choices().getFirst().message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("15 degrees, sunny").build())
                .build();
        client().chat().completions().create(next);
        JsonNode turn = lastSent().path("messages");
        assertThat(turn).hasSize(3);
        JsonNode assistant = turn.get(1);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.path("content").findValuesAsText("type")).containsExactly("text", "tool_use");
        assertThat(assistant.path("content").get(1).path("input").path("location").asText()).isEqualTo("San Francisco, CA");
        JsonNode result = turn.get(2).path("content").get(0);
        assertThat(turn.get(2).path("role").asText()).isEqualTo("user");
        assertThat(result.path("type").asText()).isEqualTo("tool_result");
        assertThat(result.path("tool_use_id").asText()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(result.path("content").asText()).isEqualTo("15 degrees, sunny");

        // a JSON schema: asked of Anthropic as one forced tool, answered to the client as the JSON text
        upstream.on("POST /v1/messages", Answer.stream("text/event-stream", List.of(
                sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":50,\"output_tokens\":1},\"content\":[],\"stop_reason\":null}}"),
                sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_2\",\"name\":\"json_answer\",\"input\":{}}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}"),
                sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}"),
                sse("message_stop", "{\"type\":\"message_stop\"}"))));
        ChatCompletion json = client().chat().completions().create(ChatCompletionCreateParams.builder().model("claude/claude-sonnet-4-5")
                .addUserMessage("Which city is the capital of France?").responseFormat(citySchema()).build());
        assertThat(readTree(json.choices().getFirst().message().content().orElseThrow()).path("city").asText()).isEqualTo("Paris");
        assertThat(json.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        JsonNode asked = lastSent();
        assertThat(asked.path("tool_choice").path("name").asText()).isEqualTo("json_answer");
        assertThat(asked.path("tools").get(0).path("input_schema").path("required").get(0).asText()).isEqualTo("city");
    }

    private static ResponseFormatJsonSchema citySchema() {
        return ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("city").strict(true)
                .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false)).build())
                .build()).build();
    }

    private static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    @Test
    void geminiGetsFunctionDeclarationsSchemasAndInlineImagesAndItsFunctionCallsComeBackAsToolCalls() {
        // Gemini's documented function-calling answer: a functionCall part with its args as an object
        upstream.on("POST /v1beta/models/gemini-2.5-flash:streamGenerateContent", Answer.stream("text/event-stream", List.of(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"location\":\"Boston, MA\"}}}],"
                        + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":70,"
                        + "\"candidatesTokenCount\":8,\"totalTokenCount\":78}}\r\n\r\n")));
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

        ChatCompletion c = client().chat().completions().create(ChatCompletionCreateParams.builder().model("gem/gemini-2.5-flash")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("Where was this taken? Then the weather.").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url(png).build()).build())))
                .addFunctionTool(weather()).presencePenalty(0.25).build());

        ChatCompletionMessageFunctionToolCall call = onlyCall(c);
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(readTree(call.function().arguments()).path("location").asText()).isEqualTo("Boston, MA");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        JsonNode sent = lastSent();
        JsonNode parts = sent.path("contents").get(0).path("parts");
        assertThat(parts.get(0).path("inlineData").path("mimeType").asText()).isEqualTo("image/png");
        assertThat(parts.get(0).path("inlineData").path("data").asText()).startsWith("iVBORw0KGgo");
        assertThat(parts.get(1).path("text").asText()).startsWith("Where was this taken?");
        assertThat(sent.path("tools").get(0).path("functionDeclarations").get(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(sent.path("generationConfig").path("presencePenalty").asDouble()).isEqualTo(0.25);

        client().chat().completions().create(ChatCompletionCreateParams.builder().model("gem/gemini-2.5-flash")
                .addUserMessage("The capital of France?").responseFormat(citySchema()).build());
        JsonNode config = lastSent().path("generationConfig");
        assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(config.path("responseJsonSchema").path("required").get(0).asText()).isEqualTo("city");
    }

    @Test
    void ollamaGetsToolsFormatSchemasAndBase64ImagesAndItsWholeToolCallsStreamAsDeltas() {
        // Ollama's documented /api/chat tool call: one message with the call whole, then the final done chunk
        upstream.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-07-07T20:22:19.184789Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                        + "\"tool_calls\":[{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"location\":\"Paris, FR\"}}}]},\"done\":false}\n",
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-07-07T20:22:19.19314Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":182242375,\"load_duration\":41295167,"
                        + "\"prompt_eval_count\":169,\"prompt_eval_duration\":24573166,\"eval_count\":15,\"eval_duration\":115959084}\n")));

        ChatCompletion c = streamed(weatherQuestion("olla/llama3.2").responseFormat(citySchema()).topP(0.8).build());

        ChatCompletionMessageFunctionToolCall call = onlyCall(c);
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(readTree(call.function().arguments()).path("location").asText()).isEqualTo("Paris, FR");
        JsonNode sent = lastSent();
        assertThat(sent.path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(sent.path("format").path("required").get(0).asText()).as("a schema is Ollama's format").isEqualTo("city");
        assertThat(sent.path("options").path("top_p").asDouble()).isEqualTo(0.8);
    }

    @Test
    void severalChoicesComeFromProvidersThatHaveThemStreamedOrNotAndAreRefusedByTheOthers() {
        // OpenAI's stream of n = 2: each chunk names its choice's index, the two interleaved, each closed by its own finish
        String head = "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[{";
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                head + "\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
                head + "\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
                head + "\"index\":0,\"delta\":{\"content\":\"Paris\"},\"finish_reason\":null}]}\n\n",
                head + "\"index\":1,\"delta\":{\"content\":\"Lyon\"},\"finish_reason\":null}]}\n\n",
                head + "\"index\":1,\"delta\":{\"content\":\" or Nice\"},\"finish_reason\":null}]}\n\n",
                head + "\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                head + "\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
                "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16}}\n\n",
                "data: [DONE]\n\n")));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("oai/gpt-4.1").addUserMessage("A French city?")
                .n(2).build();

        ChatCompletion whole = client().chat().completions().create(params);
        ChatCompletion streamed = streamed(params);

        for (ChatCompletion c : List.of(whole, streamed)) {
            assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
            assertThat(c.choices().get(0).message().content()).contains("Paris");
            assertThat(c.choices().get(1).message().content()).contains("Lyon or Nice");
            assertThat(c.choices().get(1).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        }
        assertThat(whole.usage().orElseThrow().completionTokens()).isEqualTo(4);
        assertThat(lastSent().path("n").asInt()).isEqualTo(2);

        // a choice that wrote nothing before it ended (a sampled end of text, or only byte tokens) is still opened before
        // any choice closes: the SDK counts the choices by the indexes it has seen by then
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                head + "\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Paris\"},\"finish_reason\":null}]}\n\n",
                head + "\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
                head + "\"index\":1,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: {\"id\":\"chatcmpl-3\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14}}\n\n",
                "data: [DONE]\n\n")));
        ChatCompletion silent = streamed(params.toBuilder().streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions
                .builder().includeUsage(true).build()).build());
        assertThat(silent.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        assertThat(silent.choices().get(1).message().content().orElse("")).isEmpty();
        assertThat(silent.usage().orElseThrow().completionTokens()).isEqualTo(2);

        // Gemini's candidateCount: each candidate with its index
        upstream.on("POST /v1beta/models/gemini-2.5-flash:streamGenerateContent", Answer.stream("text/event-stream", List.of(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Paris\"}],\"role\":\"model\"},\"finishReason\":\"STOP\","
                        + "\"index\":0},{\"content\":{\"parts\":[{\"text\":\"Lyon\"}],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\","
                        + "\"index\":1}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":2,\"totalTokenCount\":7}}\r\n\r\n")));
        ChatCompletion gemini = streamed(params.toBuilder().model("gem/gemini-2.5-flash").build());
        assertThat(gemini.choices()).extracting(ch -> ch.message().content().orElse("")).containsExactly("Paris", "Lyon");
        assertThat(gemini.choices().get(1).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(lastSent().path("generationConfig").path("candidateCount").asInt()).isEqualTo(2);

        int before = upstream.requests().size();
        for (String model : List.of("claude/claude-sonnet-4-5", "olla/llama3.2")) {
            assertThatThrownBy(() -> client().chat().completions().create(params.toBuilder().model(model).build()))
                    .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("n above 1"));
        }
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void whatAProviderCannotHonourIsA400NamingItAndNothingIsSent() {
        int before = upstream.requests().size();
        assertThatThrownBy(() -> client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude/claude-sonnet-4-5").addUserMessage("Hi").logprobs(true).topLogprobs(2).frequencyPenalty(1.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage())
                        .contains("frequency_penalty", "logprobs", "Anthropic"));
        assertThatThrownBy(() -> client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("olla/llama3.2").addUserMessage("Hi").putAdditionalBodyProperty("min_p", JsonValue.from(0.1)).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("min_p", "Ollama"));
        assertThatThrownBy(() -> client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gem/gemini-2.5-flash").addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofImageUrl(
                        ChatCompletionContentPartImage.builder().imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                .url("https://example.com/cat.png").build()).build()))).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("data: URLs"));
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void malformedToolsSchemasAndImagesAre400sThatNameTheField() {
        List<String> bodies = List.of(
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{}}]}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"response_format\":{\"type\":\"json_schema\","
                        + "\"json_schema\":{\"name\":\"n\",\"schema\":\"not an object\"}}}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"file:///etc/passwd\"}}]}]}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"tool\",\"content\":\"42\"}]}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"n\":0}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"top_p\":7}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":2,\"n_predict\":40}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream_options\":{\"include_usage\":true}}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"top_k\":-5}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"min_p\":7}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":NaN}",
                "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}");
        List<String> named = List.of("tools[0].function.name", "not among the request's tools", "response_format.json_schema.schema",
                "http(s) URL or a data:image", "messages[0].tool_call_id", "\"n\"", "\"top_p\"", "send \"max_tokens\"",
                "only for \"stream\": true", "\"top_k\"", "\"min_p\"", "not valid JSON (line 1", "\"messages[0].content\" holds half of a UTF-16");
        for (int i = 0; i < bodies.size(); i++) {
            ServerFixture.Reply r = s.post("/v1/chat/completions", bodies.get(i));
            assertThat(r.status()).as(bodies.get(i)).isEqualTo(400);
            assertThat(r.json().path("error").path("message").asText()).as(bodies.get(i)).contains(named.get(i))
                    .doesNotContain("JsonReadFeature");
        }
        assertThat(upstream.requests()).isEmpty();
        JsonNode figures = s.get("/api/analytics?from=1h").json().path("models");
        int logged = 0;
        for (JsonNode f : figures) {
            logged += f.path("requests").asInt();
            assertThat(f.path("errors").asInt()).isEqualTo(f.path("requests").asInt());
        }
        assertThat(logged).as("every refused request is in the log, as an error").isEqualTo(bodies.size());
        assertThat(s.get("/v1/models/auto:code").json().path("id").asText()).isEqualTo("auto:code");
        assertThat(s.get("/v1/models/nosuch").status()).isEqualTo(404);
    }

    @Test
    void embeddingsComeFromOpenAiCompatibleOllamaAndGeminiProvidersInTheirOwnFormatsAndAnthropicSaysItHasNone() {
        upstream.on("POST /v1/embeddings", Answer.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":1,"
                + "\"embedding\":[0.5,0.25]},{\"object\":\"embedding\",\"index\":0,\"embedding\":[-1.0,2.0]}],"
                + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}"));
        upstream.on("POST /api/embed", Answer.json(200, "{\"model\":\"all-minilm\",\"embeddings\":[[0.010071029,-0.0017594862,0.05007221],"
                + "[-0.0098027075,0.06042469,0.025257962]],\"total_duration\":14143917,\"load_duration\":1019500,\"prompt_eval_count\":8}"));
        upstream.on("POST /v1beta/models/gemini-embedding-001:batchEmbedContents", Answer.json(200,
                "{\"embeddings\":[{\"values\":[0.1,0.2,0.3]},{\"values\":[0.4,0.5,0.6]}]}"));
        var params = com.openai.models.embeddings.EmbeddingCreateParams.builder().inputOfArrayOfStrings(List.of("first", "second"));

        var oai = client().embeddings().create(params.model("oai/text-embedding-3-small").dimensions(2).build());
        assertThat(oai.data().get(0).embedding()).as("put back in input order").containsExactly(-1.0f, 2.0f);
        assertThat(oai.data().get(1).embedding()).containsExactly(0.5f, 0.25f);
        assertThat(oai.usage().promptTokens()).isEqualTo(8);
        assertThat(lastSent().path("dimensions").asInt()).isEqualTo(2);
        assertThat(lastSent().path("input").get(1).asText()).isEqualTo("second");

        var ollama = client().embeddings().create(params.model("olla/all-minilm").build());
        assertThat(ollama.data().get(1).embedding()).hasSize(3).first().isEqualTo(-0.0098027075f);
        assertThat(lastSent().path("input").size()).isEqualTo(2);

        var gemini = client().embeddings().create(params.model("gem/gemini-embedding-001").dimensions(3).build());
        assertThat(gemini.data().get(1).embedding()).containsExactly(0.4f, 0.5f, 0.6f);
        assertThat(lastSent().path("requests").get(0).path("outputDimensionality").asInt()).isEqualTo(3);
        assertThat(lastSent().path("requests").get(1).path("content").path("parts").get(0).path("text").asText()).isEqualTo("second");

        int before = upstream.requests().size();
        assertThatThrownBy(() -> client().embeddings().create(params.model("claude/claude-sonnet-4-5").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("has no embeddings API"));
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void aTextCompletionGoesToOllamasRawGenerateAndIsRefusedForAnthropic() {
        upstream.on("POST /api/generate", Answer.stream("application/x-ndjson", List.of(
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"response\":\"The\",\"done\":false}\n",
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"response\":\" sky\",\"done\":false}\n",
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T19:22:45.499127Z\",\"response\":\"\",\"done\":true,"
                        + "\"done_reason\":\"length\",\"total_duration\":10706818083,\"load_duration\":6338219291,\"prompt_eval_count\":26,"
                        + "\"prompt_eval_duration\":130079000,\"eval_count\":2,\"eval_duration\":4232710000}\n")));
        var params = com.openai.models.completions.CompletionCreateParams.builder()
                .model(com.openai.models.completions.CompletionCreateParams.Model.of("olla/llama3.2")).prompt("Why is").maxTokens(2);

        var c = client().completions().create(params.build());

        assertThat(c.choices().getFirst().text()).isEqualTo("The sky");
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(26);
        JsonNode sent = lastSent();
        assertThat(sent.path("raw").asBoolean()).isTrue();
        assertThat(sent.path("prompt").asText()).isEqualTo("Why is");
        assertThat(sent.path("options").path("num_predict").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> client().completions().create(params.model(
                com.openai.models.completions.CompletionCreateParams.Model.of("claude/claude-sonnet-4-5")).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("no text completions"));
    }

    @Test
    void aTextCompletionsLogprobsComeBackInThatApisOwnShapeFromAnOpenAiCompatibleServer() {
        // the legacy completions stream with logprobs, as OpenAI documents it: parallel lists per chunk
        upstream.on("POST /v1/completions", Answer.stream("text/event-stream", List.of(
                "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt-3.5-turbo-instruct\","
                        + "\"choices\":[{\"text\":\" blue\",\"index\":0,\"logprobs\":{\"tokens\":[\" blue\"],\"token_logprobs\":[-0.25],"
                        + "\"top_logprobs\":[{\" blue\":-0.25,\" grey\":-1.75}],\"text_offset\":[6]},\"finish_reason\":null}]}\n\n",
                "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt-3.5-turbo-instruct\","
                        + "\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n",
                "data: [DONE]\n\n")));
        var c = client().completions().create(com.openai.models.completions.CompletionCreateParams.builder()
                .model(com.openai.models.completions.CompletionCreateParams.Model.of("oai/gpt-3.5-turbo-instruct")).prompt("Sky is")
                .maxTokens(1).logprobs(2).build());

        var lp = c.choices().getFirst().logprobs().orElseThrow();
        assertThat(lp.tokens().orElseThrow()).containsExactly(" blue");
        assertThat(lp.tokenLogprobs().orElseThrow()).containsExactly(-0.25);
        assertThat(lp.topLogprobs().orElseThrow().getFirst()._additionalProperties()).containsOnlyKeys(" blue", " grey");
        assertThat(lp.textOffset().orElseThrow()).containsExactly(6L);
        assertThat(lastSent().path("logprobs").asInt()).as("the number of alternatives, as this API takes it").isEqualTo(2);
        assertThat(lastSent().has("top_logprobs")).isFalse();
    }

    @Test
    void reasoningTextIsKeptApartFromTheAnswerAsReasoningContent() {
        String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"r1\",\"choices\":[{\"index\":0,";
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                head + "\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"The user greets; \"},\"finish_reason\":null}]}\n\n",
                head + "\"delta\":{\"reasoning_content\":\"greet back.\"},\"finish_reason\":null}]}\n\n",
                head + "\"delta\":{\"content\":\"Hello!\"},\"finish_reason\":\"stop\"}]}\n\n", "data: [DONE]\n\n")));

        ServerFixture.Reply whole = s.post("/v1/chat/completions", "{\"model\":\"oai/r1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        JsonNode message = whole.json().path("choices").get(0).path("message");
        assertThat(message.path("content").asText()).isEqualTo("Hello!");
        assertThat(message.path("reasoning_content").asText()).isEqualTo("The user greets; greet back.");

        ServerFixture.Reply streamed = s.post("/v1/chat/completions", "{\"model\":\"oai/r1\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        streamed.body().lines().filter(l -> l.startsWith("data: {")).map(l -> readTree(l.substring(6))).forEach(c -> c.path("choices")
                .forEach(ch -> {
                    reasoning.append(ch.path("delta").path("reasoning_content").asText(""));
                    content.append(ch.path("delta").path("content").asText(""));
                }));
        assertThat(reasoning.toString()).isEqualTo("The user greets; greet back.");
        assertThat(content.toString()).isEqualTo("Hello!");

        ServerFixture.Reply claude = s.post("/v1/messages", "{\"model\":\"oai/r1\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        JsonNode blocks = claude.json().path("content");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("thinking");
        assertThat(blocks.get(0).path("thinking").asText()).isEqualTo("The user greets; greet back.");
        assertThat(blocks.get(1).path("text").asText()).isEqualTo("Hello!");
    }

    @Test
    void imagesReachAnthropicAsSourceBlocksAndOllamaAsBase64() {
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        upstream.on("POST /v1/messages", Answer.stream("text/event-stream", List.of(
                sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"c\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1},\"content\":[],\"stop_reason\":null}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"A dot.\"}}"),
                sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}"),
                sse("message_stop", "{\"type\":\"message_stop\"}"))));
        upstream.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                "{\"model\":\"llava\",\"message\":{\"role\":\"assistant\",\"content\":\"A dot.\"},\"done\":false}\n",
                "{\"model\":\"llava\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n")));
        for (String model : List.of("claude/claude-sonnet-4-5", "olla/llava")) {
            ChatCompletion c = client().chat().completions().create(ChatCompletionCreateParams.builder().model(model)
                    .addUserMessageOfArrayOfContentParts(List.of(
                            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                    ChatCompletionContentPartImage.ImageUrl.builder().url(png).build()).build()))).build());
            assertThat(c.choices().getFirst().message().content()).contains("A dot.");
        }
        JsonNode toAnthropic = readTree(upstream.requests().get(upstream.requests().size() - 2).body()).path("messages").get(0).path("content");
        assertThat(toAnthropic.get(0).path("type").asText()).isEqualTo("image");
        assertThat(toAnthropic.get(0).path("source").path("type").asText()).isEqualTo("base64");
        assertThat(toAnthropic.get(0).path("source").path("media_type").asText()).isEqualTo("image/png");
        assertThat(toAnthropic.get(1).path("text").asText()).isEqualTo("What is this?");
        JsonNode toOllama = lastSent().path("messages").get(0);
        assertThat(toOllama.path("images").get(0).asText()).as("base64 alone, as Ollama takes it").startsWith("iVBORw0KGgo");
        assertThat(toOllama.path("content").asText()).isEqualTo("What is this?");
    }

    @Test
    void tokensAreCountedByAnthropicsOwnEndpointAndRefusedWhereAProviderCannotCount() {
        upstream.on("POST /v1/messages/count_tokens", Answer.json(200, "{\"input_tokens\":2095}"));

        ServerFixture.Reply counted = s.post("/v1/messages/count_tokens", "{\"model\":\"claude/claude-sonnet-4-5\",\"system\":\"Be brief.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, Claude\"}]}");

        assertThat(counted.status()).isEqualTo(200);
        assertThat(counted.json().path("input_tokens").asInt()).isEqualTo(2095);
        JsonNode sent = lastSent();
        assertThat(sent.path("system").asText()).isEqualTo("Be brief.");
        assertThat(sent.has("max_tokens")).as("count_tokens takes no max_tokens").isFalse();
        assertThat(sent.has("stream")).isFalse();
        ServerFixture.Reply refused = s.post("/v1/messages/count_tokens", "{\"model\":\"oai/gpt-4.1\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").path("message").asText()).contains("cannot count tokens");
    }
}
