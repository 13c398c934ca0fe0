package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.paddock.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Engines page in a real Chromium against a real server: an engine that fails its smoke test is shown as
 * failed and cannot be used; the pinned release installs from the page (from the machine's engine cache, which
 * {@code .ci/run} fills), becomes the default, tests again and is removed.
 */
@Tag("engine")
class EngineDashboardIT {
    @TempDir Path home;
    @TempDir Path files;
    private ServerFixture s;
    private Chromium chromium;

    @AfterEach
    void stop() {
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(5_000); // Playwright's default, for other tests
        if (chromium != null) {
            chromium.close();
        }
        if (s != null) {
            s.close();
        }
    }

    /** Until the text appears (an install's end is an event with no deadline of its own). */
    private static LocatorAssertions.ContainsTextOptions untilItAppears() {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(0);
    }

    @Test
    void enginesAreInstalledTestedChosenAndRemovedFromThePage() throws Exception {
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache") + "/paddock";
        s = new ServerFixture(home, ServerSettings.loopback(0), Map.of("PATH", System.getenv("PATH"), "PADDOCK_ENGINE_CACHE_DIR", cache));
        Path broken = files.resolve("llama-server");
        Files.writeString(broken, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 9999 (fffffff)'; exit 0; fi\nexit 1\n");
        broken.toFile().setExecutable(true);
        chromium = Chromium.launch();
        Page page = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(1366, 900));
        page.setDefaultTimeout(0); // every wait below is for something the page does, however long the machine takes
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(0);
        page.onDialog(d -> d.accept());

        page.navigate(s.base + "/engines");
        assertThat(page.locator("#engines-empty")).containsText("embedded llama.cpp b4916");
        page.fill("#engine-source", broken.toString());
        page.click("#engine-install");
        assertThat(page.locator("#engine-install-error")).containsText("smoke test failed", untilItAppears());
        page.reload();
        assertThat(page.locator("#engines tr[data-engine='fffffff-cpu']")).containsText("FAILED");
        assertThat(page.locator("#engines tr[data-engine='fffffff-cpu'] button.engine-use")).isDisabled();

        page.fill("#engine-source", "");
        page.click("#engine-install");
        assertThat(page.locator("#engines tr[data-engine='de3ff81-cpu']")).containsText("★ default", untilItAppears());
        assertThat(page.locator("#engines tr[data-engine='de3ff81-cpu']")).containsText("passed");
        assertThat(s.get("/api/engines").json().get("default").asText()).isEqualTo("de3ff81-cpu");

        page.click("#engines tr[data-engine='de3ff81-cpu'] button.engine-test");
        page.waitForLoadState();
        assertThat(page.locator("#engines tr[data-engine='de3ff81-cpu']")).containsText("passed");

        page.click("#engines tr[data-engine='fffffff-cpu'] button.engine-rm");
        assertThat(page.locator("#engines tr[data-engine='fffffff-cpu']")).hasCount(0);
        assertThat(page.locator("#engines tbody tr")).hasCount(1);
    }
}
