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
                public List<String> choose(String auto) {
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
                    public List<String> choose(String auto) {
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
                public List<String> choose(String auto) {
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
}
