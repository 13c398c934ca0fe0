package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.paddock.testing.Chromium;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every page at phone width (390×844) stays within the screen, the pull dialog too; dark mode follows the system. */
@Tag("e2e")
class ResponsiveDashboardIT {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    void atPhoneWidthNothingIsWiderThanTheScreenAndDarkModeDarkensThePage() throws Exception {
        try (ServerFixture s = ServerFixture.start(home); Chromium chromium = Chromium.launch()) {
            s.importTiny(files, "a-model-with-a-rather-long-name:and-a-long-tag-too");
            Files.createDirectories(DashboardIT.SHOTS);
            Page phone = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(390, 844).setColorScheme(ColorScheme.DARK));
            phone.setDefaultTimeout(30_000);
            for (String path : List.of("/", "/chat", "/benchmarks", "/compare", "/hardware", "/registry", "/recommend", "/engines", "/status")) {
                phone.navigate(s.base + path);
                Object width = phone.evaluate("() => document.documentElement.scrollWidth");
                assertThat(((Number) width).intValue()).as(path + " is " + width + " px wide").isLessThanOrEqualTo(390);
            }
            // a fresh server has had no requests: its charts say so instead of drawing a flat line at zero
            phone.navigate(s.base + "/status");
            assertThat(phone.locator(".charts figure.chart .empty")).hasCount(3);
            assertThat(phone.locator(".charts figure.chart").first()).containsText("No data yet");
            phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-dark-status.png")).setFullPage(true));
            phone.navigate(s.base + "/");
            phone.click("#pull-open");
            assertThat(phone.locator("#pull-dialog")).isVisible();
            Object widest = phone.evaluate("() => Math.max(...Array.from(document.querySelectorAll('#pull-dialog *'))"
                    + ".filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().right))");
            assertThat(((Number) widest).doubleValue()).as("the dialog's contents end within the screen").isLessThanOrEqualTo(390);
            assertThat(phone.locator("#hub-quants")).isHidden(); // no empty table before a search
            Object background = phone.evaluate("() => getComputedStyle(document.body).backgroundColor");
            assertThat(background).isEqualTo("rgb(20, 24, 31)"); // dark, as the system asks
            phone.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("phone-dark-pull.png")));
            Page light = chromium.browser().newPage(new Browser.NewPageOptions().setColorScheme(ColorScheme.LIGHT));
            light.navigate(s.base + "/");
            assertThat(light.evaluate("() => getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(255, 255, 255)");
        }
    }
}
