package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.Chromium;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Models page's downloads panel in Chromium: a job caught mid-transfer is paused, resumed and finishes; a failure says why. */
@Tag("e2e")
class DownloadsPanelIT {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    void everyJobIsListedLiveAndCanBePausedResumedOrCancelledFromThePanel() throws Exception {
        Path model = TestModels.write(LlamaModelSpec.small(), files, "small.gguf");
        try (FaultyFileServer server = new FaultyFileServer().serve("small.gguf", model).serve("tiny.gguf", TestModels.tiny(files, "t.gguf"));
                ServerFixture s = ServerFixture.start(home); Chromium chromium = Chromium.launch()) {
            List<String> errors = new ArrayList<>();
            Page page = chromium.page(1366, 900, errors);
            // the panel polls (every few seconds while nothing moves): assertions wait for its next look, however slow the machine
            com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
            page.navigate(s.base + "/");
            assertThat(page.locator("#downloads-empty")).isVisible();

            server.holdAfter(1 << 20); // the transfer stops after 1 MiB until released: caught running, no clock involved
            assertThat(s.post("/api/pulls", "{\"source\": \"" + server.url("small.gguf") + "\", \"name\": \"small:held\"}").status()).isEqualTo(202);
            server.awaitHeld();
            Locator row = page.locator("#downloads-table tbody tr", new Page.LocatorOptions().setHasText("small:held"));
            assertThat(row.locator("td.state")).containsText("running");
            assertThat(row).containsText("MiB of");
            row.locator("button.download-pause").click();
            assertThat(row.locator("td.state")).containsText("paused");
            server.release();
            row.locator("button.download-resume").click();
            assertThat(row.locator("td.state")).containsText("done");
            assertThat(row.locator("button")).hasCount(0);
            assertThat(page.locator("#models")).containsText("small:held"); // the table caught up without a reload
            assertThat(page.locator("#no-models")).hasCount(0);

            // a pull whose digest does not match fails, and the panel says why and offers to resume
            String wrong = "0".repeat(64);
            assertThat(s.post("/api/pulls", "{\"source\": \"" + server.url("tiny.gguf") + "\", \"name\": \"tiny:bad\", \"sha256\": \"" + wrong
                    + "\"}").status()).isEqualTo(202);
            Locator bad = page.locator("#downloads-table tbody tr", new Page.LocatorOptions().setHasText("tiny:bad"));
            assertThat(bad.locator("td.state")).containsText("failed: checksum mismatch");
            assertThat(bad.locator("button.download-resume")).isVisible();
            bad.locator("button.download-cancel").click();
            assertThat(bad.locator("td.state")).containsText("cancelled");
            Files.createDirectories(DashboardIT.SHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("downloads.png")).setFullPage(true));
            assertThat(errors).isEmpty();
            assertThat(s.get("/api/models/small:held").status()).isEqualTo(200);
        } finally {
            com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(5_000); // Playwright's default, for other tests
        }
    }
}
