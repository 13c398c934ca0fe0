package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.Chromium;
import dev.paddock.testing.FakeHub;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull dialog's Hugging Face search in Chromium, against a Hub on 127.0.0.1: search, quantisations by fit, pull. */
@Tag("e2e")
class HubDashboardIT {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    void searchChooseTheBestFitAndPullItFromTheDialogWithTheKeyboard() throws Exception {
        Map<String, Path> quants = new LinkedHashMap<>();
        quants.put("Tiny-Q8_0.gguf", TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.Q8_0), files, "q8.gguf"));
        quants.put("Tiny-F32.gguf", TestModels.write(LlamaModelSpec.tiny(), files, "f32.gguf"));
        var parts = dev.paddock.gguf.GgufSplit.split(TestModels.write(LlamaModelSpec.tiny().withWeights(GgmlType.F16), files, "f16.gguf"), 2,
                files, "Tiny-F16");
        quants.put("Tiny-F16-00001-of-00002.gguf", parts.get(0));
        quants.put("Tiny-F16-00002-of-00002.gguf", parts.get(1));
        try (FakeHub hub = new FakeHub().repo("paddock/tiny-GGUF", "llama", 854_000, quants);
                ServerFixture s = new ServerFixture(home, ServerSettings.loopback(0), Map.of("HF_ENDPOINT", hub.endpoint()));
                Chromium chromium = Chromium.launch()) {
            List<String> errors = new ArrayList<>();
            Page page = chromium.page(1366, 900, errors);
            page.navigate(s.base + "/");
            page.click("#pull-open");
            page.fill("#hub-q", "tiny");
            page.press("#hub-q", "Enter"); // searches, and the dialog stays open
            assertThat(page.locator("#pull-dialog")).isVisible();
            assertThat(page.locator("#hub-repos")).containsText("paddock/tiny-GGUF");
            page.locator("#hub-repos button.hub-repo").first().click();
            assertThat(page.locator("#hub-quants")).isVisible();
            assertThat(page.locator("#hub-quants")).containsText("F32 ★ best fit");
            assertThat(page.locator("#hub-quants tbody tr")).hasCount(3);
            assertThat(page.locator("#hub-quants tbody tr", new Page.LocatorOptions().setHasText("F16"))).containsText("2"); // two parts, one row
            page.locator("button[aria-label='Choose F32 of paddock/tiny-GGUF']").click();
            assertThat(page.locator("#pull-url")).hasValue("hf://paddock/tiny-GGUF:F32");
            Files.createDirectories(DashboardIT.SHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("pull-hub.png")).setFullPage(true));
            page.click("#pull-start");
            assertThat(page.locator("#pull-status")).containsText("done");
            assertThat(s.get("/api/models/tiny-f32:latest").status()).isEqualTo(200);
            assertThat(errors).isEmpty();
        }
    }
}
