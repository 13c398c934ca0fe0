package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoice;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
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
 * /v1/messages with the official Anthropic Java SDK as its client, over an OpenAI-compatible provider on 127.0.0.1
 * (OpenAI's documented stream): Anthropic's request is translated on the way in and its event sequence on the way out.
 */
class AnthropicMessagesTest {
    @TempDir Path home;
    private FakeHttpServer upstream;
    private ServerFixture s;
    private static final String HEAD = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,";

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeHttpServer();
        Files.writeString(home.resolve("config.toml"), "[providers.oai]\nkind = \"openai\"\nurl = \"" + upstream.url() + "/v1\"\n");
        s = ServerFixture.start(home);
    }

    @AfterEach
    void stop() {
        s.close();
        upstream.close();
    }

    private AnthropicClient client() {
        return AnthropicOkHttpClient.builder().baseUrl(s.base).apiKey("unused").maxRetries(0).build();
    }

    private JsonNode lastSent() {
        try {
            return ServerFixture.JSON.readTree(upstream.requests().getLast().body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String usage(int prompt, int completion) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + "}}\n\n";
    }

    @Test
    void aTextAnswerComesBackWholeAndAsTheDocumentedEventStreamWithSystemAndStopSequencesSentOn() {
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                HEAD + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{\"content\":\", world\"},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{},\"finish_reason\":\"length\"}]}\n\n", usage(12, 2), "data: [DONE]\n\n")));
        MessageCreateParams params = MessageCreateParams.builder().model("oai/gpt-4.1").maxTokens(2).system("Be brief.")
                .addUserMessage("Say hello").stopSequences(List.of("\n\n")).build();

        Message whole = client().messages().create(params);
        MessageAccumulator acc = MessageAccumulator.create();
        List<String> events = new java.util.ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(params)) {
            stream.stream().forEach(e -> {
                events.add(e.isMessageStart() ? "message_start" : e.isContentBlockStart() ? "content_block_start"
                        : e.isContentBlockDelta() ? "content_block_delta" : e.isContentBlockStop() ? "content_block_stop"
                        : e.isMessageDelta() ? "message_delta" : "message_stop");
                acc.accumulate(e);
            });
        }
        Message streamed = acc.message();

        for (Message m : List.of(whole, streamed)) {
            assertThat(m.content()).singleElement().satisfies(b -> assertThat(b.text().orElseThrow().text()).isEqualTo("Hello, world"));
            assertThat(m.stopReason()).contains(StopReason.MAX_TOKENS);
            assertThat(m.usage().outputTokens()).isEqualTo(2);
            assertThat(m.model().asString()).isEqualTo("oai/gpt-4.1");
        }
        assertThat(whole.usage().inputTokens()).isEqualTo(12);
        assertThat(events).containsExactly("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");
        JsonNode sent = lastSent();
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
        assertThat(sent.path("stop").get(0).asText()).isEqualTo("\n\n");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void aToolCallStreamsAsAToolUseBlockAndItsResultGoesBackAsAToolMessage() {
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                HEAD + "\"delta\":{\"role\":\"assistant\",\"content\":\"Let me look.\"},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\": \"}}]},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n", usage(40, 9), "data: [DONE]\n\n")));
        Tool weather = Tool.builder().name("get_weather").description("The weather in a city").inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("location", Map.of("type", "string")))).required(List.of("location")).build()).build();
        MessageCreateParams ask = MessageCreateParams.builder().model("oai/gpt-4.1").maxTokens(256).addUserMessage("Weather in Paris?")
                .addTool(weather).toolChoice(ToolChoice.ofTool("get_weather")).build();

        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(ask)) {
            stream.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();

        assertThat(m.content()).hasSize(2);
        assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo("Let me look.");
        ToolUseBlock use = m.content().get(1).toolUse().orElseThrow();
        assertThat(use.id()).isEqualTo("call_1");
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(use._input().convert(Map.class)).containsEntry("location", "Paris");
        assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
        JsonNode sent = lastSent();
        assertThat(sent.path("tools").get(0).path("function").path("parameters").path("required").get(0).asText()).isEqualTo("location");
        assertThat(sent.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");

        MessageCreateParams next = ask.toBuilder().addMessage(m).addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                ToolResultBlockParam.builder().toolUseId(use.id()).content("18 degrees").build()))).build();
        client().messages().create(next);
        JsonNode turns = lastSent().path("messages");
        assertThat(turns.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(turns.get(1).path("tool_calls").get(0).path("function").path("arguments").asText()).contains("Paris");
        assertThat(turns.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(turns.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(turns.get(2).path("content").asText()).isEqualTo("18 degrees");
    }

    @Test
    void badRequestsAreAnthropicShaped400sNamingTheField() {
        assertThatThrownBy(() -> client().messages().create(MessageCreateParams.builder().model("oai/gpt-4.1").maxTokens(16)
                .addUserMessage("Hi").putAdditionalBodyProperty("tool_choice", JsonValue.from(Map.of("type", "tool", "name", "nope")))
                .addTool(Tool.builder().name("f").inputSchema(Tool.InputSchema.builder().build()).build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("not among the request's tools"));
        ServerFixture.Reply r = s.post("/v1/messages", "{\"model\":\"oai/x\",\"max_tokens\":8,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("type").asText()).isEqualTo("error");
        assertThat(r.json().path("error").path("message").asText()).contains("messages[0]", "\"system\"");
        // an empty stop sequence would end every answer at once, in Anthropic's and OpenAI's words alike
        ServerFixture.Reply empty = s.post("/v1/messages", "{\"model\":\"oai/x\",\"max_tokens\":8,\"stop_sequences\":[\"\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("error").path("message").asText()).contains("empty stop sequence");
        assertThat(s.post("/v1/chat/completions", "{\"model\":\"oai/x\",\"stop\":[\"\"],\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}").status()).isEqualTo(400);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void anAnswerToAPrefilledTurnIsTheContinuationOnlyEvenWhenTheEngineRepeatsThePrefill() {
        // llama-server's way: the assistant's own words come back first, then the continuation
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                HEAD + "\"delta\":{\"role\":\"assistant\",\"content\":\"{\\\"answer\\\": \"},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{\"content\":\"42}\"},\"finish_reason\":\"stop\"}]}\n\n", usage(20, 2), "data: [DONE]\n\n")));
        MessageCreateParams params = MessageCreateParams.builder().model("oai/gpt-4.1").maxTokens(16).addUserMessage("The answer?")
                .addAssistantMessage("{\"answer\": ").build();

        Message whole = client().messages().create(params);
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }

        assertThat(whole.content().getFirst().text().orElseThrow().text()).isEqualTo("42}");
        assertThat(acc.message().content().getFirst().text().orElseThrow().text()).isEqualTo("42}");
    }

    @Test
    void maxTokensIsRequiredAndATurnNeedsABlockAsAnthropicsApiHasIt() {
        ServerFixture.Reply noMax = s.post("/v1/messages", "{\"model\":\"oai/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(noMax.status()).isEqualTo(400);
        assertThat(noMax.json().path("error").path("message").asText()).contains("max_tokens");
        ServerFixture.Reply empty = s.post("/v1/messages", "{\"model\":\"oai/x\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":[]}]}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("error").path("message").asText()).contains("messages[0].content");
        ServerFixture.Reply missing = s.post("/v1/messages", "{\"model\":\"nosuch\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").path("type").asText()).as("Anthropic's type for a 404").isEqualTo("not_found_error");
        assertThat(upstream.requests()).isEmpty();
    }
}
