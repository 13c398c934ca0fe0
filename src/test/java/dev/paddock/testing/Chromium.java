package dev.paddock.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium (at /usr/bin/chromium or $PADDOCK_CHROMIUM) driven by Playwright, its own
 * browser download skipped, with the flags this closed network needs.
 */
public final class Chromium implements AutoCloseable {
    private final Playwright playwright;
    private final Browser browser;

    private Chromium(List<String> extraArgs) {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        String chromium = System.getenv().getOrDefault("PADDOCK_CHROMIUM", "/usr/bin/chromium");
        List<String> args = new ArrayList<>(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"));
        args.addAll(extraArgs);
        try {
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Path.of(chromium))
                    .setHeadless(true).setArgs(args));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    public static Chromium launch(String... extraArgs) {
        return new Chromium(List.of(extraArgs));
    }

    public Browser browser() {
        return browser;
    }

    /** A page of that size, waiting up to 30 s for what it is asked, whose console errors land in {@code errors}. */
    public com.microsoft.playwright.Page page(int width, int height, List<String> errors) {
        com.microsoft.playwright.Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(width, height));
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                errors.add(m.text());
            }
        });
        return page;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
