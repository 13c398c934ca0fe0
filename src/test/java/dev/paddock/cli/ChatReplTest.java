package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import dev.paddock.provider.ChatRequest;
import dev.paddock.testing.FakeHttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive chat over JLine's dumb terminal (typed lines in, the screen out), answering through Paddock's
 * chat service from an OpenAI-compatible server on 127.0.0.1 that streams in OpenAI's documented format.
 */
class ChatReplTest {
    @TempDir Path home;

    @Test
    void commandsSettingsHistoryAndCtrlCStoppingOnlyTheAnswer() throws Exception {
        try (FakeHttpServer server = new FakeHttpServer()) {
            server.on("POST /v1/chat/completions", FakeHttpServer.Answer.stream("text/event-stream",
                    List.of(FakeHttpServer.openAiChunk("Hel"), FakeHttpServer.openAiChunk("lo "), FakeHttpServer.openAiChunk("there"), "data: [DONE]\n\n")));
            Files.writeString(home.resolve("config.toml"), "[providers.lab]\nkind = \"openai\"\nurl = \"" + server.url() + "/v1\"\n");
            Map<String, String> env = Map.of("PADDOCK_HOME", home.toString(), "PADDOCK_OLLAMA_URL", "http://127.0.0.1:9");
            String typed = String.join("\n", "/set temperature 0", "/set system be brief", "hello", "/show", "again", "/set temperature 9",
                    "/set colour red", "/nosuch", "/clear", "/show", "/help", "/bye", "never sent") + "\n";
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            try (Paddock paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, w -> {}, Clock.systemUTC(), false);
                    Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                            screen, StandardCharsets.UTF_8)) {
                var reader = LineReaderBuilder.builder().terminal(terminal).build();
                int[] turn = {0};
                int code = new ChatRepl(reader, "lab/m", new ChatRepl.Settings(), (messages, s, sink) -> {
                    boolean second = ++turn[0] == 2;
                    return paddock.chat().chat(new ChatRequest("lab/m", messages, s.maxTokens, s.temperature, s.seed, List.of(), null), piece -> {
                        sink.accept(piece);
                        if (second) {
                            terminal.raise(Terminal.Signal.INT); // Ctrl-C while the second answer streams
                        }
                    }, "cli");
                }).run();
                assertThat(code).isZero();
            }
            String out = screen.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("chatting with lab/m", "Hello there", "[stopped]", "temperature 0.0", "system \"be brief\"",
                    "model lab/m; 1 exchanges", "invalid temperature \"9\"", "unknown setting colour", "unknown command /nosuch",
                    "the conversation is cleared", "model lab/m; 0 exchanges", "/set max-tokens N");
            List<FakeHttpServer.Request> sent = server.requests();
            assertThat(sent).hasSize(2); // "never sent" came after /bye
            JsonNode first = new ObjectMapper().readTree(sent.get(0).body());
            JsonNode second = new ObjectMapper().readTree(sent.get(1).body());
            assertThat(first.path("temperature").asDouble()).isZero();
            assertThat(first.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(first.at("/messages/1/content").asText()).isEqualTo("hello");
            // the second turn carries the first exchange
            assertThat(second.path("messages")).extracting(m -> m.path("content").asText())
                    .containsExactly("be brief", "hello", "Hello there", "again");
        }
    }
}
