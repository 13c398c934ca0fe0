package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.paddock.testing.Chromium;
import dev.paddock.testing.FakeHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Chat page in Chromium, arena mode: one prompt to two models of an OpenAI-compatible server on 127.0.0.1
 * (OpenAI's documented streaming format, usage chunk included), each answering in its own column with its figures.
 */
@Tag("e2e")
class ChatPageIT {
    @TempDir Path home;

    @Test
    void onePromptToTwoModelsSideBySideWithTheirSpeedAndTheConversationKeptPerModel() throws Exception {
        try (FakeHttpServer lab = new FakeHttpServer()) {
            lab.on("GET /v1/models", FakeHttpServer.Answer.json(200,
                    "{\"object\":\"list\",\"data\":[{\"id\":\"alpha\",\"object\":\"model\"},{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}"));
            lab.on("POST /v1/chat/completions", FakeHttpServer.Answer.stream("text/event-stream", List.of(FakeHttpServer.openAiChunk("Hel"), FakeHttpServer.openAiChunk("lo "),
                    FakeHttpServer.openAiChunk("there"), "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
                            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n", "data: [DONE]\n\n")));
            Files.writeString(home.resolve("config.toml"), "[providers.lab]\nkind = \"openai\"\nurl = \"" + lab.url() + "/v1\"\n");
            try (ServerFixture s = ServerFixture.start(home); Chromium chromium = Chromium.launch()) {
                List<String> errors = new ArrayList<>();
                Page page = chromium.page(1366, 900, errors);
                page.navigate(s.base + "/chat");
                page.check("input[name=chat-model][value='lab/alpha']");
                page.check("input[name=chat-model][value='lab/gpt-4o-mini']");
                page.fill("#chat-prompt", "hi");
                page.press("#chat-prompt", "Enter");
                for (String m : List.of("lab/alpha", "lab/gpt-4o-mini")) {
                    var col = page.locator(".chat-column[data-model='" + m + "']");
                    assertThat(col.locator(".chat-assistant").first()).hasText("Hello there");
                    assertThat(col.locator(".chat-stats")).containsText("TTFT");
                    assertThat(col.locator(".chat-stats")).containsText("12 in, 3 out");
                }
                // what each answer cost at the registry's price: 12 tokens in at $0.15/M and 3 out at $0.60/M; none known for alpha
                assertThat(page.locator(".chat-column[data-model='lab/gpt-4o-mini'] .chat-stats")).containsText("$0.0000036");
                assertThat(page.locator(".chat-column[data-model='lab/alpha'] .chat-stats")).containsText("cost unknown");
                page.fill("#chat-prompt", "and again");
                page.locator("#chat-send").click();
                assertThat(page.locator(".chat-column[data-model='lab/alpha'] .chat-assistant")).hasCount(2);
                assertThat(page.locator("#chat-send")).isEnabled();
                Files.createDirectories(DashboardIT.SHOTS);
                page.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("chat-arena.png")).setFullPage(true));
                assertThat(errors).isEmpty();
            }
            // each model's second request carried its own first exchange
            var bodies = lab.requests().stream().filter(r -> r.path().equals("/v1/chat/completions")).map(r -> r.body()).toList();
            assertThat(bodies).hasSize(4);
            var last = new ObjectMapper().readTree(bodies.getLast());
            assertThat(last.path("messages")).extracting(n -> n.path("content").asText()).containsExactly("hi", "Hello there", "and again");
            assertThat(Map.of("stream", last.path("stream").asBoolean())).containsEntry("stream", true);
        }
    }
}
