package dev.paddock.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.provider.anthropic.AnthropicProvider;
import dev.paddock.provider.gemini.GeminiProvider;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anthropic and Gemini against local servers that speak their documented streaming formats. */
class CloudProvidersTest {
    private FakeHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    @Test
    void anthropicStreamsNamedEventsAndReportsUsage() {
        server.on("POST /v1/messages", Answer.stream("text/event-stream", List.of(
                sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"),
                sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                sse("ping", "{\"type\":\"ping\"}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}"),
                sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}"),
                sse("message_stop", "{\"type\":\"message_stop\"}"))));
        AnthropicProvider claude = new AnthropicProvider("anthropic", server.url(), "sk-ant-test");
        List<String> pieces = new ArrayList<>();

        ChatResult r = claude.chat(ChatRequest.of("claude-sonnet-4-5",
                List.of(new ChatMessage("system", "Be brief."), ChatMessage.user("Hi"))), pieces::add);

        assertThat(pieces).containsExactly("Hello", "!");
        assertThat(r.finishReason()).as("in OpenAI's words").isEqualTo("stop");
        assertThat(r.promptTokens()).isEqualTo(25);
        assertThat(r.completionTokens()).isEqualTo(15);
        FakeHttpServer.Request sent = server.requests().getLast();
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.body()).contains("\"system\":\"Be brief.\"", "\"max_tokens\":1024").doesNotContain("\"role\":\"system\"");
    }

    @Test
    void anthropicSaysWhichStopSequenceEndedTheAnswerAndTheSizeOfThePromptBeforeIt() {
        server.on("POST /v1/messages", Answer.stream("text/event-stream", List.of(
                sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"usage\":{\"input_tokens\":12,"
                        + "\"cache_read_input_tokens\":30,\"output_tokens\":1}}}"),
                sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"1, 2, \"}}"),
                sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"3\"},"
                        + "\"usage\":{\"output_tokens\":5}}"),
                sse("message_stop", "{\"type\":\"message_stop\"}"))));
        AnthropicProvider claude = new AnthropicProvider("anthropic", server.url(), "sk-ant-test");
        List<String> heard = new ArrayList<>();
        TokenListener listener = new TokenListener() {
            @Override
            public void token(String text) {
                heard.add("token " + text);
            }

            @Override
            public void promptSize(int tokens, int cached) {
                heard.add("prompt " + tokens + " (" + cached + " cached)");
            }
        };

        ChatResult r = claude.chat(ChatRequest.of("claude-sonnet-4-5", List.of(ChatMessage.user("Count"))), listener);

        assertThat(heard).containsExactly("prompt 42 (30 cached)", "token 1, 2, ");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.stopSequence()).isEqualTo("3");
    }

    @Test
    void anthropicErrorsCarryTheirMessage() {
        server.on("POST /v1/messages", Answer.stream("text/event-stream", List.of(
                sse("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))));
        server.on("GET /v1/models", Answer.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
        AnthropicProvider claude = new AnthropicProvider("anthropic", server.url(), "bad");

        assertThatThrownBy(() -> claude.chat(ChatRequest.of("m", List.of(ChatMessage.user("x"))), TokenListener.NONE))
                .hasMessageContaining("Overloaded");
        assertThatThrownBy(claude::listModels).hasMessageContaining("invalid x-api-key").hasMessageContaining("check the API key");
        assertThatThrownBy(() -> new AnthropicProvider("a", server.url(), null).listModels())
                .hasMessageContaining("set ANTHROPIC_API_KEY");
    }

    @Test
    void geminiStreamsCandidatesAndUsageMetadata() {
        server.on("POST /v1beta/models/gemini-2.5-flash:streamGenerateContent", Answer.stream("text/event-stream", List.of(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n",
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":2,\"totalTokenCount\":10}}\r\n\r\n")));
        server.on("GET /v1beta/models", Answer.json(200, "{\"models\":[{\"name\":\"models/gemini-2.5-flash\",\"displayName\":\"Gemini 2.5 Flash\","
                + "\"inputTokenLimit\":1048576,\"outputTokenLimit\":65536,\"supportedGenerationMethods\":[\"generateContent\"]}]}"));
        GeminiProvider gemini = new GeminiProvider("gemini", server.url(), "g-key");

        ChatResult r = gemini.chat(ChatRequest.of("gemini-2.5-flash",
                List.of(new ChatMessage("system", "sys"), ChatMessage.user("Hi"), ChatMessage.assistant("Yo"), ChatMessage.user("Again"))),
                TokenListener.NONE);

        assertThat(r.text()).isEqualTo("Hello");
        assertThat(r.finishReason()).as("in OpenAI's words").isEqualTo("stop");
        assertThat(r.promptTokens()).isEqualTo(8);
        assertThat(r.completionTokens()).isEqualTo(2);
        FakeHttpServer.Request sent = server.requests().getLast();
        assertThat(sent.path()).endsWith(":streamGenerateContent?alt=sse");
        assertThat(sent.header("x-goog-api-key")).isEqualTo("g-key");
        assertThat(sent.body()).contains("\"systemInstruction\"", "\"role\":\"model\"");
        assertThat(gemini.listModels()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("gemini-2.5-flash");
            assertThat(m.contextLength()).isEqualTo(1048576L);
        });
    }

    @Test
    void aRateLimitIsTheProvidersStateNotTheRequestsFault() {
        server.on("POST /v1/messages", Answer.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}"));
        AnthropicProvider claude = new AnthropicProvider("anthropic", server.url(), "sk-ant-test");

        assertThatThrownBy(() -> claude.chat(ChatRequest.of("claude-sonnet-4-5", List.of(ChatMessage.user("Hi"))), t -> {}))
                .isInstanceOfSatisfying(dev.paddock.error.PaddockException.class,
                        e -> assertThat(e.code()).as("so auto falls back to the next model").isEqualTo(dev.paddock.error.ErrorCode.UNAVAILABLE))
                .hasMessageContaining("429").hasMessageContaining("rate limited");
    }
}
