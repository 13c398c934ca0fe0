package dev.paddock.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.paddock.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/docs in Chromium: Swagger UI from its webjar renders the OpenAPI document, and "Try it out" reaches the API. */
@Tag("e2e")
class ApiDocsIT {
    @TempDir Path home;

    @Test
    void theApiIsDocumentedForPeopleAndTryItOutWorks() throws Exception {
        try (ServerFixture s = ServerFixture.start(home); Chromium chromium = Chromium.launch()) {
            List<String> errors = new ArrayList<>();
            Page page = chromium.page(1366, 900, errors);
            page.onRequestFailed(r -> errors.add("failed: " + r.url()));
            page.navigate(s.base + "/api/docs");
            assertThat(page.locator(".swagger-ui .info .title")).containsText("Paddock");
            var models = page.locator(".opblock-summary-path[data-path='/api/models']").first();
            assertThat(models).isVisible();
            models.click();
            page.locator(".opblock.is-open .try-out__btn").click();
            page.locator(".opblock.is-open .execute").click();
            assertThat(page.locator(".opblock.is-open .live-responses-table .response .response-col_status").first()).containsText("200");
            Files.createDirectories(DashboardIT.SHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(DashboardIT.SHOTS.resolve("api-docs.png")));
            assertThat(errors).isEmpty();
            assertThat(s.get("/api/docs/nosuch.js").status()).isEqualTo(404);
            assertThat(s.get("/api/docs/../../../etc/passwd").status()).isIn(400, 404); // never a file outside the webjar
        }
    }
}
