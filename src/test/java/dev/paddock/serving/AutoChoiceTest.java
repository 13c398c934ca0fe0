package dev.paddock.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.Providers;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.ollama.OllamaProvider;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** auto:<task> tries the chosen models in order and falls back when a provider fails before its first token. */
class AutoChoiceTest {
    static final class MemoryLog implements RequestLog {
        final List<RequestRecord> records = new ArrayList<>();

        @Override
        public void record(RequestRecord r) {
            records.add(r);
        }

        @Override
        public List<RequestRecord> since(Instant since, String model) {
            return records;
        }
    }

    @Test
    void fallsBackToTheNextChoiceWhenTheFirstProviderIsDown() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (FakeHttpServer up = new FakeHttpServer()) {
            up.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                    "{\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"done\":false}\n",
                    "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                            + "\"prompt_eval_count\":3,\"prompt_eval_duration\":1000000,\"eval_count\":1,\"eval_duration\":1000000}\n")));
            Providers fleet = new Providers(List.of(new OllamaProvider("local", "http://127.0.0.1:9"),
                    new OllamaProvider("down", "http://127.0.0.1:" + deadPort), new OllamaProvider("up", up.url())), Set.of());
            MemoryLog log = new MemoryLog();
            ChatService chat = new ChatService(fleet, log, Clock.systemUTC(), "local").withAutoChoice(new ChatService.AutoChoice() {
                @Override
                public List<String> choose(String auto, Set<String> needs) {
                    return List.of("down/big", "up/small");
                }

                @Override
                public boolean isAuto(String model) {
                    return model.startsWith("auto");
                }
            });

            var r = chat.chat(ChatRequest.of("auto:code", List.of(ChatMessage.user("hello"))), TokenListener.NONE, "test");

            assertThat(r.text()).isEqualTo("hi");
            assertThat(log.records).extracting(RequestRecord::provider).containsExactly("down", "up");
            assertThat(log.records).extracting(RequestRecord::outcome).containsExactly(RequestRecord.ERROR, RequestRecord.OK);
        }
    }

    @Test
    void withNothingAvailableItSaysWhatToDo() {
        ChatService chat = new ChatService(new Providers(List.of(), Set.of()), new MemoryLog(), Clock.systemUTC(), "local")
                .withAutoChoice(new ChatService.AutoChoice() {
                    @Override
                    public List<String> choose(String auto, Set<String> needs) {
                        return List.of();
                    }

                    @Override
                    public boolean isAuto(String model) {
                        return true;
                    }
                });

        assertThatThrownBy(() -> chat.chat(ChatRequest.of("auto", List.of(ChatMessage.user("x"))), TokenListener.NONE, "test"))
                .hasMessageContaining("no model is available for auto");
    }

    @Test
    void aClientThatGoesAwayMidAnswerIsLoggedAsCancelledAndNotSentElsewhere() throws Exception {
        try (FakeHttpServer up = new FakeHttpServer()) {
            up.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                    "{\"message\":{\"role\":\"assistant\",\"content\":\"one\"},\"done\":false}\n",
                    "{\"message\":{\"role\":\"assistant\",\"content\":\" two\"},\"done\":false}\n",
                    "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n")));
            Providers fleet = new Providers(List.of(new OllamaProvider("local", "http://127.0.0.1:9"), new OllamaProvider("up", up.url()),
                    new OllamaProvider("other", up.url())), Set.of());
            MemoryLog log = new MemoryLog();
            ChatService chat = new ChatService(fleet, log, Clock.systemUTC(), "local").withAutoChoice(new ChatService.AutoChoice() {
                @Override
                public List<String> choose(String auto, Set<String> needs) {
                    return List.of("up/small", "other/small");
                }

                @Override
                public boolean isAuto(String model) {
                    return model.startsWith("auto");
                }
            });

            assertThatThrownBy(() -> chat.chat(ChatRequest.of("auto", List.of(ChatMessage.user("hello"))), text -> {
                throw new RequestCancelled("the client went away"); // as the gateway's writer does, or a cancelled benchmark
            }, "test")).isInstanceOf(RequestCancelled.class);

            assertThat(log.records).singleElement().satisfies(r -> {
                assertThat(r.provider()).isEqualTo("up");
                assertThat(r.outcome()).isEqualTo(RequestRecord.CANCELLED);
            });
        }
    }

    @Test
    void aRequestWithToolsAndASchemaAsksOnlyForModelsThatTakeThemAndARateLimitedOneFallsThrough() throws Exception {
        try (FakeHttpServer limited = new FakeHttpServer(); FakeHttpServer up = new FakeHttpServer()) {
            limited.on("POST /api/chat", Answer.json(429, "{\"error\":\"rate limit exceeded\"}"));
            up.on("POST /api/chat", Answer.stream("application/x-ndjson", List.of(
                    "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":{}}}]},"
                            + "\"done\":false}\n",
                    "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n")));
            Providers fleet = new Providers(List.of(new OllamaProvider("local", "http://127.0.0.1:9"),
                    new OllamaProvider("limited", limited.url()), new OllamaProvider("up", up.url())), Set.of());
            MemoryLog log = new MemoryLog();
            List<Set<String>> asked = new ArrayList<>();
            ChatService chat = new ChatService(fleet, log, Clock.systemUTC(), "local").withAutoChoice(new ChatService.AutoChoice() {
                @Override
                public List<String> choose(String auto, Set<String> needs) {
                    asked.add(needs);
                    return List.of("limited/big", "up/small");
                }

                @Override
                public boolean isAuto(String model) {
                    return model.startsWith("auto");
                }
            });
            ChatRequest request = new ChatRequest("auto", List.of(ChatMessage.user("call f")), null, null, null, List.of(), null, null,
                    null, new dev.paddock.provider.ToolUse(List.of(new dev.paddock.provider.Tool("f", null, null, null)), "auto", null, null),
                    dev.paddock.provider.ResponseFormat.jsonObject(), null);

            var r = chat.chat(request, TokenListener.NONE, "test");

            assertThat(asked).containsExactly(Set.of("json", "tools"));
            assertThat(r.toolCalls()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("f"));
            assertThat(log.records).extracting(RequestRecord::provider).containsExactly("limited", "up");
            assertThat(log.records.getLast().toolCalls()).as("the log counts tool calls").isEqualTo(1);
            assertThat(log.records.getLast().structured()).isTrue();
        }
    }
}
