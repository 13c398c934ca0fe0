package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.paddock.testing.Chromium;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages an attacker controls, opened in a real headless Chromium while Paddock serves on loopback: one
 * on another port firing every request a page can send without asking, and one whose name resolves to
 * 127.0.0.1 (DNS rebinding, simulated with Chromium's host resolver rules). Nothing changes.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostilePageIT {
    @TempDir static Path home;
    @TempDir static Path files;
    private ServerFixture s;
    private Chromium chromium;
    private FakeHttpServer attacker;

    @BeforeAll
    void start() throws Exception {
        s = ServerFixture.start(home);
        for (String name : List.of("keep:one", "keep:two")) {
            var r = s.post("/api/models/import", "{\"path\": \"" + TestModels.tiny(files, name.replace(':', '-') + ".gguf")
                    + "\", \"name\": \"" + name + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        attacker = new FakeHttpServer();
        chromium = Chromium.launch("--host-resolver-rules=MAP rebound.test 127.0.0.1");
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (attacker != null) {
            attacker.close();
        }
        if (s != null) {
            s.close();
        }
    }

    private List<String> models() {
        return s.get("/api/models?remote=false").json().get("models").findValuesAsText("name");
    }

    private void nothingChanged() {
        assertThat(models()).containsExactlyInAnyOrder("keep:one", "keep:two");
        assertThat(s.get("/api/active").json().get("model").asText()).isEmpty();
        assertThat(s.get("/api/pulls").json()).isEmpty();
        assertThat(s.get("/api/benchmarks/jobs").json()).isEmpty();
    }

    @Test
    void aPageOnAnotherPortFiresEveryRequestItCanAndNothingChanges() {
        String paddock = s.base;
        // Simple requests (no preflight): text/plain and form bodies, no-cors mode, a form posted to a frame.
        String script = """
                const p = "%s";
                const tries = [
                  fetch(p + "/api/active", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"},
                    body: JSON.stringify({model: "keep:two"})}),
                  fetch(p + "/api/pulls", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"},
                    body: JSON.stringify({source: "http://127.0.0.1:9/evil.gguf", name: "evil:x"})}),
                  fetch(p + "/api/benchmarks", {method: "POST", mode: "no-cors", body: new URLSearchParams({models: "keep:one"})}),
                  fetch(p + "/v1/chat/completions", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"},
                    body: JSON.stringify({model: "keep:one", messages: [{role: "user", content: "spend"}]})}),
                  fetch(p + "/api/models/keep:one", {method: "DELETE", mode: "no-cors"}),
                  fetch(p + "/api/models/keep:one", {method: "DELETE", headers: {"Content-Type": "application/json"}}),
                  fetch(p + "/api/active", {method: "POST", headers: {"Content-Type": "application/json"},
                    body: JSON.stringify({model: "keep:two"})}),
                ].map(t => t.then(() => "sent", e => "blocked"));
                const form = document.createElement("form");
                form.method = "POST"; form.action = p + "/api/active"; form.target = "sink";
                form.enctype = "text/plain";
                const input = document.createElement("input");
                input.name = '{"model": "keep:two", "x": "'; input.value = '"}';
                form.appendChild(input);
                document.body.appendChild(form);
                Promise.all(tries).then(r => { form.submit(); setTimeout(() => { document.title = "done " + r.join(","); }, 1500); });
                """.formatted(paddock);
        attacker.on("GET /", new FakeHttpServer.Answer(200, "text/html",
                List.of("<!doctype html><html><body><iframe name=sink></iframe><script>" + script + "</script></body></html>")));

        Page page = chromium.browser().newPage();
        page.navigate(attacker.url() + "/");
        page.waitForFunction("() => document.title.startsWith('done')");
        assertThat(page.title()).as("the simple requests left the browser").contains("sent");

        nothingChanged();
        page.close();
    }

    @Test
    void aReboundNameOnPaddocksOwnPortGetsNoPageAndCanDoNothing() {
        Page page = chromium.browser().newPage();
        String rebound = "http://rebound.test:" + s.server.port();
        Response first = page.navigate(rebound + "/");
        assertThat(first.status()).isEqualTo(403);
        assertThat(page.content()).doesNotContain("keep:one");

        // Script in the rebound origin: same-origin requests, so only the Host header gives it away.
        @SuppressWarnings("unchecked")
        Map<String, Object> answers = (Map<String, Object>) page.evaluate("""
                async () => {
                  const read = await fetch("/api/models");
                  const del = await fetch("/api/models/keep:one", {method: "DELETE"});
                  const use = await fetch("/api/active", {method: "POST", headers: {"Content-Type": "application/json"},
                    body: JSON.stringify({model: "keep:two"})});
                  return {read: read.status, readBody: await read.text(), del: del.status, use: use.status};
                }""");
        assertThat(answers.get("read")).isEqualTo(403);
        assertThat((String) answers.get("readBody")).doesNotContain("keep:one");
        assertThat(answers.get("del")).isEqualTo(403);
        assertThat(answers.get("use")).isEqualTo(403);

        nothingChanged();
        page.close();
    }
}
