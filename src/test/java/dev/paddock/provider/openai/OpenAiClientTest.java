package dev.paddock.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.JsonHttp;
import dev.paddock.provider.TokenListener;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client of llama-server's chat API against a loopback server streaming llama-server's chunks (de3ff81). */
class OpenAiClientTest {
    private FakeHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeHttpServer();
        server.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                "data: {\"choices\":[],\"created\":1,\"id\":\"chatcmpl-1\",\"model\":\"m\",\"object\":\"chat.completion.chunk\","
                        + "\"prompt_progress\":{\"total\":12,\"cache\":4,\"processed\":12,\"time_ms\":3.5}}\n\n",
                FakeHttpServer.openAiChunk("Hi"),
                "data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}],\"created\":1,\"id\":\"chatcmpl-1\","
                        + "\"model\":\"m\",\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":12,"
                        + "\"total_tokens\":13}}\n\n",
                "data: [DONE]\n\n")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiClient llamaServer() {
        return OpenAiClient.llamaCpp(new JsonHttp("runner", Duration.ofSeconds(5)), URI.create(server.url() + "/v1/"), "t",
                Duration.ofSeconds(10));
    }

    @Test
    void theEngineIsAskedForItsPromptProgressOnlyByAListenerThatUsesIt() {
        ChatRequest request = ChatRequest.of("m", List.of(ChatMessage.user("Hello")));
        List<String> text = new ArrayList<>();

        ChatResult plain = llamaServer().chat(request, text::add);

        assertThat(server.requests().getLast().body()).as("an extra event before the first token, for nothing")
                .doesNotContain("return_progress");
        assertThat(text).containsExactly("Hi");
        assertThat(plain.promptTokens()).isEqualTo(12);

        int[] sized = {-1, -1};
        llamaServer().chat(request, new TokenListener() {
            @Override
            public void token(String t) {}

            @Override
            public void promptSize(int tokens, int cached) {
                sized[0] = tokens;
                sized[1] = cached;
            }

            @Override
            public boolean wantsPromptSize() {
                return true;
            }
        }.onEach(() -> {}));

        assertThat(server.requests().getLast().body()).contains("\"return_progress\":true");
        assertThat(sized).as("the size before any token, through a fallback's wrapper too").containsExactly(12, 4);
    }
}
