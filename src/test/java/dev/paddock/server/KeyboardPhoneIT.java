package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.paddock.testing.Chromium;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main flows on a phone (390×844, dark mode) with the keyboard alone: no click, no fill, only Tab, Space, Enter,
 * Escape and typed text, as someone who cannot use a pointer works the dashboard.
 */
@Tag("e2e")
class KeyboardPhoneIT {
    @TempDir Path home;
    @TempDir Path files;

    /** Presses Tab until the focus is on {@code selector}: an element the keyboard cannot reach fails the test. */
    private static void tabTo(Page page, String selector) {
        for (int i = 0; i < 120; i++) {
            page.keyboard().press("Tab");
            if (focused(page, selector)) {
                return;
            }
        }
        throw new AssertionError(selector + " is not reached with Tab on " + page.url());
    }

    private static void typeOver(Page page, String text) {
        page.keyboard().press("Control+A");
        page.keyboard().type(text);
    }

    private static boolean focused(Page page, String selector) {
        return Boolean.TRUE.equals(page.evaluate("s => document.activeElement !== null && document.activeElement.matches(s)", selector));
    }

    @Test
    void onAPhoneInDarkModeModelsPullsChatAndBenchmarksWorkFromTheKeyboardAlone() throws Exception {
        try (FakeHttpServer lab = new FakeHttpServer()) {
            lab.on("GET /v1/models", FakeHttpServer.Answer.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"alpha\",\"object\":\"model\"}]}"));
            lab.on("POST /v1/chat/completions", FakeHttpServer.Answer.stream("text/event-stream", List.of(FakeHttpServer.openAiChunk("Hello "),
                    FakeHttpServer.openAiChunk("phone"), "data: [DONE]\n\n")));
            Files.writeString(home.resolve("config.toml"), "[providers.lab]\nkind = \"openai\"\nurl = \"" + lab.url() + "/v1\"\n");
            Path pulled = TestModels.tiny(files, "pulled.gguf");
            try (ServerFixture s = ServerFixture.start(home); Chromium chromium = Chromium.launch();
                    FaultyFileServer server = new FaultyFileServer().serve("pulled.gguf", pulled)) {
                s.importTiny(files, "tiny:kb");
                Files.createDirectories(DashboardIT.SHOTS);
                List<String> problems = new ArrayList<>();
                Page phone = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(390, 844).setColorScheme(ColorScheme.DARK));
                phone.setDefaultTimeout(30_000);
                phone.onPageError(e -> problems.add("uncaught: " + e));
                phone.onConsoleMessage(m -> {
                    if (m.type().equals("error")) {
                        problems.add("console: " + m.text());
                    }
                });

                // the first Tab is a skip link, shown once it has the focus; Enter moves the focus past the navigation
                phone.navigate(s.base + "/");
                phone.keyboard().press("Tab");
                assertThat(focused(phone, "a.skip")).as("the first stop is the skip link").isTrue();
                assertThat(phone.locator("a.skip")).isInViewport();
                phone.keyboard().press("Enter");
                assertThat(focused(phone, "main")).as("Enter on it focuses the page's content").isTrue();

                // Use a model: its button names it for a screen reader
                tabTo(phone, "button.use[data-model='tiny:kb']");
                assertThat(phone.locator("button.use[data-model='tiny:kb']")).hasAttribute("aria-label", "Use tiny:kb");
                assertThat(phone.locator("button.delete[data-model='tiny:kb']")).hasAttribute("aria-label", "Delete tiny:kb");
                phone.keyboard().press("Enter");
                assertThat(phone.locator("#models tr.active[data-model='tiny:kb']")).hasCount(1,
                        new LocatorAssertions.HasCountOptions().setTimeout(60_000));

                // a pull: open the dialog, type the address and a name, Enter starts it
                tabTo(phone, "#pull-open");
                phone.keyboard().press("Enter");
                assertThat(phone.locator("#pull-dialog")).isVisible();
                assertThat(focused(phone, "#pull-url")).as("the dialog opens in its address field").isTrue();
                phone.keyboard().type(server.url("pulled.gguf"));
                tabTo(phone, "#pull-name");
                phone.keyboard().type("kb:pulled");
                phone.keyboard().press("Enter");
                assertThat(phone.locator("#pull-dialog")).isVisible(); // Enter started the pull, it did not close the dialog
                assertThat(phone.locator("#pull-status")).containsText("100%", new com.microsoft.playwright.assertions.LocatorAssertions
                        .ContainsTextOptions().setTimeout(60_000));
                phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-keyboard-pull.png")));
                phone.waitForLoadState();
                assertThat(phone.locator("#models tr[data-model='kb:pulled']")).hasCount(1,
                        new LocatorAssertions.HasCountOptions().setTimeout(30_000));

                // chat: pick a model with Space, type, Enter sends
                phone.navigate(s.base + "/chat");
                tabTo(phone, "input[name=chat-model][value='lab/alpha']");
                phone.keyboard().press("Space");
                assertThat(phone.locator("input[name=chat-model][value='lab/alpha']")).isChecked();
                tabTo(phone, "#chat-prompt");
                phone.keyboard().type("hi");
                phone.keyboard().press("Enter");
                assertThat(phone.locator(".chat-column[data-model='lab/alpha'] .chat-assistant").first()).hasText("Hello phone");
                phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-keyboard-chat.png")).setFullPage(true));

                // a benchmark: tick the model, set the figures, Enter on Start
                phone.navigate(s.base + "/benchmarks");
                tabTo(phone, "#bench-form input[value='tiny:kb']");
                phone.keyboard().press("Space");
                tabTo(phone, "#bench-reps");
                typeOver(phone, "1");
                tabTo(phone, "#bench-prompt");
                typeOver(phone, "16");
                tabTo(phone, "#bench-gen");
                typeOver(phone, "8");
                tabTo(phone, "#bench-start");
                phone.keyboard().press("Enter");
                assertThat(phone.locator("#bench-status")).containsText("benchmark done", new com.microsoft.playwright.assertions
                        .LocatorAssertions.ContainsTextOptions().setTimeout(180_000));
                assertThat(phone.locator("#bench-error")).isEmpty();
                Object width = phone.evaluate("() => document.documentElement.scrollWidth");
                assertThat(((Number) width).intValue()).as("the finished benchmark's charts fit the screen").isLessThanOrEqualTo(390);
                phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-keyboard-bench.png")).setFullPage(true));

                // Escape closes the pull dialog
                phone.navigate(s.base + "/");
                tabTo(phone, "#pull-open");
                phone.keyboard().press("Enter");
                assertThat(phone.locator("#pull-dialog")).isVisible();
                phone.keyboard().press("Escape");
                assertThat(phone.locator("#pull-dialog")).isHidden();
                assertThat(problems).isEmpty();
            }
        }
    }
}
