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

    /** The page fits the phone's width: wide tables scroll inside their own box, the page itself does not. */
    private static void fitsThePhone(Page phone) {
        Object width = phone.evaluate("() => document.documentElement.scrollWidth");
        assertThat(((Number) width).intValue()).as(phone.url() + " fits the screen").isLessThanOrEqualTo(390);
    }

    @Test
    void onAPhoneInDarkModeCompareFitCostRecommendAndEnginesWorkFromTheKeyboardAlone() throws Exception {
        try (ServerFixture s = ServerFixture.start(home); Chromium chromium = Chromium.launch()) {
            s.importTiny(files, "kb:one");
            s.importTiny(files, "kb:two");
            java.time.Instant now = java.time.Instant.now();
            double tg = 40;
            for (String model : List.of("kb:one", "kb:two")) { // stored runs: the comparison reads them as a benchmark leaves them
                s.paddock.benchRuns().save(new dev.paddock.bench.BenchRun("kb-" + model, model, "local", null, "F32", "embedded", "{}", "{}",
                        "speed", "1", now, now, "complete", null, List.of(new dev.paddock.bench.SpeedSample(1, 16, 8, 900.0, tg, 20.0, 25.0,
                                300.0, List.of(25.0, 25.0), null, null), new dev.paddock.bench.SpeedSample(2, 16, 8, 910.0, tg + 1, 21.0, 24.0,
                                300.0, List.of(24.0, 24.0), null, null))));
                tg *= 2;
            }
            List<String> problems = new ArrayList<>();
            Page phone = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(390, 844).setColorScheme(ColorScheme.DARK));
            phone.setDefaultTimeout(30_000);
            phone.onPageError(e -> problems.add("uncaught: " + e));
            phone.onConsoleMessage(m -> {
                if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) { // answers: checked just below
                    problems.add("console: " + m.text());
                }
            });
            phone.onResponse(r -> { // the refusals this test asks for, and no other
                boolean asked = r.status() == 400 && r.url().endsWith("/api/cost") || r.status() == 404 && r.url().endsWith("/api/engines");
                if (r.status() >= 400 && !asked) {
                    problems.add(r.status() + " " + r.url());
                }
            });

            // compare: tick two models with Space, Enter on Compare
            phone.navigate(s.base + "/compare");
            tabTo(phone, "#compare-form input[value='kb:one']");
            phone.keyboard().press("Space");
            tabTo(phone, "#compare-form input[value='kb:two']");
            phone.keyboard().press("Space");
            tabTo(phone, "#compare-form button[type=submit]");
            phone.keyboard().press("Enter");
            phone.waitForURL(java.util.regex.Pattern.compile(".*/compare\\?.*models=.*"));
            assertThat(phone.locator("#compare tbody tr")).hasCount(2);
            assertThat(phone.locator("#compare tr[data-model='kb:two'] td.best[data-metric='tg']")).containsText("★");
            fitsThePhone(phone);
            phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-keyboard-compare.png")).setFullPage(true));

            // hardware & fit: a context typed in, the KV cache type chosen with the arrow keys, Enter estimates again
            phone.navigate(s.base + "/hardware");
            tabTo(phone, "#fit-context");
            phone.keyboard().type("512");
            tabTo(phone, "#fit-kv");
            phone.keyboard().press("ArrowDown");
            assertThat(phone.locator("#fit-kv")).hasValue("q8_0");
            tabTo(phone, "#fit-form button[type=submit]");
            phone.keyboard().press("Enter");
            assertThat(phone.locator("#fit tr[data-model='kb:one'] .context")).hasText("512");
            fitsThePhone(phone);

            // registry & cost: token counts typed over, Enter in a field calculates
            phone.navigate(s.base + "/registry");
            tabTo(phone, "#cost-input");
            typeOver(phone, "1M");
            tabTo(phone, "#cost-hardware");
            phone.keyboard().type("1200");
            phone.keyboard().press("Enter");
            assertThat(phone.locator("#cost tbody tr", new Page.LocatorOptions().setHasText("kb:one"))).containsText("hardware amortisation");
            tabTo(phone, "#cost-input");
            typeOver(phone, "lots");
            phone.keyboard().press("Enter");
            assertThat(phone.locator("#cost-error")).not().isEmpty();
            fitsThePhone(phone);
            phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-keyboard-cost.png")).setFullPage(true));

            // recommend: a task chosen with the arrow keys, local only with Space, Enter on Recommend
            phone.navigate(s.base + "/recommend");
            tabTo(phone, "#recommend-task");
            String firstTask = phone.locator("#recommend-task").inputValue();
            phone.keyboard().press("ArrowDown");
            assertThat(phone.locator("#recommend-task")).not().hasValue(firstTask);
            tabTo(phone, "#recommend-local");
            phone.keyboard().press("Space");
            assertThat(phone.locator("#recommend-local")).isChecked();
            tabTo(phone, "#recommend-form button[type=submit]");
            phone.keyboard().press("Enter");
            assertThat(phone.locator("#recommend tbody tr")).hasCount(2);
            assertThat(phone.locator("#recommend tbody")).containsText("kb:one");
            fitsThePhone(phone);

            // engines: a source that is not there, Enter in its field: the reason, in words, where a screen reader hears it
            phone.navigate(s.base + "/engines");
            assertThat(phone.locator("#engines-empty")).isVisible();
            assertThat(phone.locator("#engines")).hasCount(0); // no table of headings over nothing
            tabTo(phone, "#engine-source");
            phone.keyboard().type(files.resolve("no-such-llama.cpp").toString());
            phone.keyboard().press("Enter");
            assertThat(phone.locator("#engine-install-error[role=alert]")).containsText("no-such-llama.cpp");
            assertThat(phone.locator("#engine-install")).isEnabled();
            fitsThePhone(phone);
            phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-keyboard-engines.png")).setFullPage(true));
            assertThat(problems).isEmpty();
        }
    }
}
