package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.Chromium;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium (Debian's, at /usr/bin/chromium or $PADDOCK_CHROMIUM), driven
 * by Playwright with its own browser download skipped. Screenshots of each page go to target/screenshots.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
    static final Path SHOTS = Path.of("target", "screenshots");
    @TempDir static Path home;
    @TempDir static Path files;
    private ServerFixture s;
    private Chromium chromium;
    private Page page;

    @BeforeAll
    void start() throws Exception {
        Files.createDirectories(SHOTS);
        s = ServerFixture.start(home);
        for (var m : List.of(Map.entry("a:f32", TestModels.tiny(files, "a.gguf")),
                Map.entry("b:small", TestModels.write(LlamaModelSpec.small(), files, "b.gguf")))) {
            assertThat(s.post("/api/models/import", "{\"path\": \"" + m.getValue() + "\", \"name\": \"" + m.getKey() + "\"}").status())
                    .isEqualTo(201);
        }
        chromium = Chromium.launch();
        page = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(1366, 900));
        page.setDefaultTimeout(30_000);
        page.onDialog(d -> d.accept()); // confirm() of a delete
        // what no page may do: throw, log an error of its own, fail to load one of its assets, or meet a server error
        page.onPageError(e -> problems.add("uncaught: " + e));
        page.onConsoleMessage(m -> {
            if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) { // 4xx answers a test asks for are fine
                problems.add("console: " + m.text());
            }
        });
        page.onResponse(r -> {
            if (r.status() >= 500 || r.status() == 404 && r.url().contains("/assets/")) {
                problems.add(r.status() + " " + r.url());
            }
        });
    }

    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void noPageFailed() {
        List<String> seen = List.copyOf(problems);
        problems.clear();
        org.assertj.core.api.Assertions.assertThat(seen).as("JavaScript errors and failed loads").isEmpty();
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (s != null) {
            s.close();
        }
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    private static LocatorAssertions.ContainsTextOptions within(double ms) {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(ms);
    }

    @Test
    void theModelsTableListsTheGeneratedModelsAndAPullShowsProgressToTheEnd() throws Exception {
        page.navigate(s.base + "/");
        Locator rows = page.locator("#models tbody tr");
        assertThat(rows).hasCount(2);
        assertThat(page.locator("#models")).containsText("a:f32");
        assertThat(page.locator("#models tr[data-model='b:small']")).containsText("local");
        shot("models");

        Path pulled = TestModels.tiny(files, "pulled.gguf");
        try (FaultyFileServer server = new FaultyFileServer().serve("pulled.gguf", pulled).holdAfter(Files.size(pulled) / 2)) {
            page.click("#pull-open");
            page.fill("#pull-url", server.url("pulled.gguf"));
            page.fill("#pull-name", "pulled:tiny");
            page.click("#pull-start");
            // Caught half-way (the server holds the rest): live progress with bytes of the whole and a speed.
            assertThat(page.locator("#pull-status")).containsText(Pattern.compile("\\d+(\\.\\d+)? (B|KiB|MiB|GiB)/s"), within(30_000));
            assertThat(page.locator("#pull-status")).containsText("of 3.3 MiB");
            shot("pull-progress");
            server.release();
            assertThat(page.locator("#pull-status")).containsText("100%", within(60_000));
            assertThat(page.locator("#pull-progress")).hasAttribute("value", "100");
            shot("pull-done");
            page.waitForLoadState();
            assertThat(page.locator("#models tr[data-model='pulled:tiny']")).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(30_000));

            // A URL to a missing file: the job ends with its error shown in the dialog.
            page.click("#pull-open");
            page.fill("#pull-url", server.url("missing.gguf"));
            page.fill("#pull-name", "");
            page.click("#pull-start");
            assertThat(page.locator("#pull-error")).containsText("404", within(30_000));
            shot("pull-error");
            // A URL that is not one at all: refused at once.
            page.fill("#pull-url", "ftp://example.com/model.gguf");
            page.click("#pull-start");
            assertThat(page.locator("#pull-error")).not().isEmpty();
            page.click("#pull-close");
        }

        page.navigate(s.base + "/");
        page.locator("#models tr[data-model='pulled:tiny'] button.delete").click();
        assertThat(page.locator("#models tr[data-model='pulled:tiny']")).hasCount(0);

        page.locator("#models tr[data-model='a:f32'] button.use").click();
        assertThat(page.locator("#models tr.active")).containsText("a:f32", within(60_000));
        assertThat(page.locator("#models tr.active .badge")).hasText("active");
    }

    @Test
    void aBenchmarkOfTwoModelsCompletesWithChartsAndTheComparisonMarksWinners() {
        page.navigate(s.base + "/");
        page.locator("#models input.pick[value='a:f32']").check();
        page.locator("#models input.pick[value='b:small']").check();
        page.click("#bench-selected");
        page.waitForURL(Pattern.compile(".*/benchmarks\\?models=.*"));
        assertThat(page.locator("#bench-form input[value='a:f32']")).isChecked();
        assertThat(page.locator("#bench-form input[value='b:small']")).isChecked();
        page.fill("#bench-reps", "2");
        page.fill("#bench-gen", "8");
        page.fill("#bench-prompt", "16");
        page.click("#bench-start");
        assertThat(page.locator("#bench-status")).containsText("benchmark done", within(180_000));
        assertThat(page.locator("#bench-error")).isEmpty();
        // uPlot draws every chart (3 measures, 2 histories) on a canvas; its numbers are a table for screen readers too
        assertThat(page.locator("#bench-charts figure.chart")).hasCount(5);
        assertThat(page.locator("#bench-charts figure.chart canvas")).hasCount(5, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        assertThat(page.locator("#bench-charts figure.chart").first().locator("table.sr tr")).hasCount(2);
        assertThat(page.locator("#bench-charts figure.chart").first()).containsText("tokens/s");
        assertThat(page.locator("#bench-log")).containsText("tg");
        shot("benchmarks");

        page.click("#bench-charts a");
        page.waitForURL(Pattern.compile(".*/compare\\?models=.*"));
        assertThat(page.locator("#compare tbody tr")).hasCount(2);
        assertThat(page.locator("#compare td.best[data-metric='memory']")).hasCount(1); // peak memory: no spread to weigh (tg's winner depends on its runs' noise)
        assertThat(page.locator("#compare td.best[data-metric='memory']")).containsText("★");
        assertThat(page.locator("#compare .context-bar .fill.green")).hasCount(2);
        assertThat(page.locator(".charts figure.chart canvas")).hasCount(6); // tg, pp, TTFT, memory and each model's history
        // the same data from the API: bars with their spread, a history with each run's time; the SVG stays for images
        var bars = s.get("/api/compare/chart?format=json&metric=tg&models=a:f32,b:small,nosuch:model").json();
        assertThat(bars.path("kind").asText()).isEqualTo("bars");
        assertThat(bars.path("points")).hasSize(2);
        assertThat(bars.path("points").get(0).path("value").asDouble()).isPositive();
        var history = s.get("/api/charts/history/a:f32?format=json").json();
        assertThat(history.path("points").get(0).path("time").asLong()).isPositive();
        assertThat(s.get("/api/charts/history/a:f32").body()).startsWith("<?xml");
        assertThat(s.get("/api/compare/chart?format=png&models=a:f32").status()).isEqualTo(400);
        shot("compare");

        page.navigate(s.base + "/");
        assertThat(page.locator("#models tr[data-model='a:f32']")).containsText("tok/s"); // last benchmark column
    }

    @Test
    void hardwareRegistryCostRecommendAndStatusPagesWork() {
        page.navigate(s.base + "/hardware");
        assertThat(page.locator("#hardware")).containsText("Cores");
        assertThat(page.locator("#fit")).containsText("a:f32");
        // each model's memory as a stacked bar of its parts against what is available; estimated again for a context and KV type
        Locator row = page.locator("#fit tr[data-model='a:f32']");
        assertThat(row.locator(".memory-bar .seg")).hasCount(4);
        assertThat(row.locator(".memory-bar")).hasAttribute("aria-label", Pattern.compile("weights .*KV cache .*of .* available"));
        String kvBefore = row.locator(".memory-bar .seg.kv").getAttribute("style");
        assertThat(row.locator(".context")).hasText("2,048");
        page.fill("#fit-context", "8192");
        page.selectOption("#fit-kv", "q8_0");
        page.click("#fit-form button");
        assertThat(row.locator(".context")).hasText("8,192");
        org.assertj.core.api.Assertions.assertThat(row.locator(".memory-bar .seg.kv").getAttribute("style")).isNotEqualTo(kvBefore);
        page.fill("#fit-context", "3"); // below any model's: the browser holds the form back and says why
        page.click("#fit-form button");
        assertThat(page.locator("#fit-context:invalid")).hasCount(1);
        assertThat(row.locator(".context")).hasText("8,192");
        shot("hardware");
        // a vision model's projector is a part of its own, and counted in what it needs
        Path projector = files.resolve("mmproj-hw.gguf");
        try {
            dev.paddock.gguf.SyntheticProjector.write(projector, dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength(), 28, 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(s.post("/api/models/import", "{\"path\": \"" + TestModels.tiny(files, "hw-vision.gguf") + "\", \"mmproj\": \""
                + projector + "\", \"name\": \"hw:vision\"}").status()).isEqualTo(201);
        page.navigate(s.base + "/hardware");
        Locator seeing = page.locator("#fit tr[data-model='hw:vision']");
        assertThat(seeing.locator(".memory-bar .seg")).hasCount(5);
        assertThat(seeing.locator(".memory-bar .seg.projector")).hasCount(1);
        assertThat(seeing.locator(".memory-bar")).hasAttribute("aria-label", Pattern.compile("vision projector "));
        assertThat(page.locator("#fit tr[data-model='a:f32'] .memory-bar .seg.projector")).hasCount(0);
        assertThat(s.delete("/api/models/hw:vision").status()).isEqualTo(200);

        page.navigate(s.base + "/registry");
        page.fill("#cost-input", "10M");
        page.fill("#cost-output", "2M");
        page.locator("#cost-form button").click();
        assertThat(page.locator("#cost tbody tr").first()).containsText("$");
        assertThat(page.locator("#registry")).containsText("openai/gpt-4o");
        assertThat(page.locator("#registry")).not().containsText("llama3.1:8b"); // the registry's open-weight entries: not installed
        // installed models are costed too, at the hardware's amortisation when a price is given
        page.fill("#cost-hardware", "2400");
        page.fill("#cost-lifetime", "24");
        page.locator("#cost-form button").click();
        assertThat(page.locator("#cost tbody tr", new Page.LocatorOptions().setHasText("a:f32"))).containsText("$100.00");
        assertThat(page.locator("#cost tbody tr", new Page.LocatorOptions().setHasText("a:f32"))).containsText("hardware amortisation");
        page.fill("#cost-input", "lots");
        page.locator("#cost-form button").click();
        assertThat(page.locator("#cost-error")).not().isEmpty();
        shot("registry");

        page.navigate(s.base + "/recommend");
        page.selectOption("#recommend-task", "code");
        page.locator("#recommend-local").check();
        page.locator("#recommend-form button").click();
        assertThat(page.locator("#recommend tbody tr")).hasCount(2);
        assertThat(page.locator("#recommend tbody")).containsText("b:small");
        shot("recommend");

        page.navigate(s.base + "/status");
        assertThat(page.locator("#analytics")).isVisible();
        assertThat(page.locator(".charts figure.chart")).hasCount(3);
        // each drawn, or saying it has no data yet (ResponsiveDashboardIT sees a fresh server's)
        assertThat(page.locator(".charts figure.chart:has(canvas), .charts figure.chart:has(p.empty)")).hasCount(3);
        shot("status");

        // live: a request answered while the page is open shows in its figures, without a reload
        page.evaluate("() => { window.notReloaded = true; }");
        Locator requests = page.locator("#analytics tr", new Page.LocatorOptions().setHasText("a:f32")).locator("td").nth(2);
        int before = requests.count() == 0 ? 0 : Integer.parseInt(requests.textContent().strip());
        assertThat(s.post("/v1/chat/completions", "{\"model\": \"a:f32\", \"max_tokens\": 2, \"messages\": [{\"role\": \"user\","
                + " \"content\": \"Hi\"}]}").status()).isEqualTo(200);
        assertThat(requests).hasText(String.valueOf(before + 1), new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        org.assertj.core.api.Assertions.assertThat(page.evaluate("() => window.notReloaded === true")).isEqualTo(true);
        assertThat(page.locator("#status-live .charts figure.chart canvas").first()).isVisible();

        // and a model imported or removed elsewhere (the API here, the CLI alike) appears in and leaves the Models page
        page.navigate(s.base + "/");
        page.evaluate("() => { window.notReloaded = true; }");
        page.locator("#models input.pick[value='b:small']").check();
        assertThat(s.post("/api/models/import", "{\"path\": \"" + TestModels.tiny(files, "live.gguf") + "\", \"name\": \"live:one\"}")
                .status()).isEqualTo(201);
        assertThat(page.locator("#models tr[data-model='live:one']")).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        assertThat(page.locator("#models input.pick[value='b:small']")).isChecked(); // a choice in progress survives the update
        assertThat(s.delete("/api/models/live:one").status()).isEqualTo(200);
        assertThat(page.locator("#models tr[data-model='live:one']")).hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        org.assertj.core.api.Assertions.assertThat(page.evaluate("() => window.notReloaded === true")).isEqualTo(true);
        page.locator("#models input.pick[value='b:small']").uncheck();

        // Keyboard: the navigation is reachable with Tab and followed with Enter.
        page.navigate(s.base + "/");
        page.keyboard().press("Tab");
        page.keyboard().press("Tab");
        page.keyboard().press("Tab");
        page.keyboard().press("Enter");
        page.waitForURL(Pattern.compile(".*/chat")); // the skip link, Models, then Chat
    }
}
