package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.TestModels;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a web page in the user's browser could send, sent by hand over real HTTP: rebound Host names,
 * foreign origins, form-encoded bodies. Each is refused and nothing changes.
 */
class ServerSecurityTest {
    @TempDir Path home;
    @TempDir Path files;
    private ServerFixture s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private void importTiny(String name) {
        s.importTiny(files, name);
    }

    private List<String> modelNames() {
        return s.get("/api/models?remote=false").json().get("models").findValuesAsText("name");
    }

    @Test
    void aReboundHostNameReadsAndDeletesNothing() {
        s = ServerFixture.start(home);
        importTiny("keep:me");
        int port = s.server.port();

        var read = s.raw("GET", "/api/models", Map.of("Host", "rebound.example:" + port), null);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.body()).contains("forbidden").doesNotContain("keep:me");
        var delete = s.raw("DELETE", "/api/models/keep:me", Map.of("Host", "rebound.example:" + port), null);
        assertThat(delete.status()).isEqualTo(403);
        assertThat(s.raw("GET", "/", Map.of("Host", "10.1.2.3:" + port), null).status()).as("a non-loopback literal").isEqualTo(403);
        assertThat(s.raw("GET", "/", Map.of("Host", "127.0.0.1.rebound.example:" + port), null).status()).isEqualTo(403);
        assertThat(modelNames()).containsExactly("keep:me");

        for (String host : List.of("localhost:" + port, "LocalHost.:" + port, "[::1]:" + port, "127.0.0.2:" + port, "paddock.localhost")) {
            assertThat(s.raw("GET", "/api/models", Map.of("Host", host), null).status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void hostNamesListedInTheSettingsAreServed() {
        s = new ServerFixture(home, new ServerSettings("127.0.0.1", 0, null, 1 << 20, List.of(), List.of("My-Box.lan")), Map.of());
        assertThat(s.raw("GET", "/api/models", Map.of("Host", "my-box.lan:" + s.server.port()), null).status()).isEqualTo(200);
        assertThat(s.raw("GET", "/api/models", Map.of("Host", "other.lan:" + s.server.port()), null).status()).isEqualTo(403);
    }

    @Test
    void aForeignOriginCannotChangeAnythingButTheServersOwnPagesCan() {
        s = ServerFixture.start(home);
        importTiny("keep:me");
        importTiny("other:one");
        String own = "http://127.0.0.1:" + s.server.port();
        String json = "{\"model\": \"other:one\"}";

        for (String origin : List.of("http://127.0.0.1:" + (s.server.port() + 1), "http://evil.example", "null", "file://")) {
            var switched = s.raw("POST", "/api/active", Map.of("Origin", origin, "Content-Type", "application/json"), json);
            assertThat(switched.status()).as(origin).isEqualTo(403);
            assertThat(s.raw("DELETE", "/api/models/keep:me", Map.of("Origin", origin), null).status()).as(origin).isEqualTo(403);
            assertThat(s.raw("POST", "/v1/chat/completions", Map.of("Origin", origin, "Content-Type", "application/json"),
                    "{\"model\": \"keep:me\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}").status()).as(origin).isEqualTo(403);
        }
        assertThat(s.raw("POST", "/api/pulls", Map.of("Sec-Fetch-Site", "cross-site", "Content-Type", "application/json"),
                "{\"source\": \"http://127.0.0.1:9/x.gguf\"}").status()).isEqualTo(403);
        assertThat(s.get("/api/active").json().get("model").asText()).isEmpty();
        assertThat(modelNames()).containsExactlyInAnyOrder("keep:me", "other:one");
        assertThat(s.get("/api/pulls").json()).isEmpty();

        var fromOwnPage = s.raw("DELETE", "/api/models/other:one", Map.of("Origin", own), null);
        assertThat(fromOwnPage.status()).as(fromOwnPage.body()).isEqualTo(200);
        assertThat(modelNames()).containsExactly("keep:me");
    }

    @Test
    void bodiesMustBeDeclaredAsJson() {
        s = ServerFixture.start(home);
        importTiny("keep:me");
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            var r = s.raw("POST", "/api/pulls", Map.of("Content-Type", type), "{\"source\": \"http://127.0.0.1:9/x.gguf\"}");
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.body()).contains("application/json");
        }
        assertThat(s.raw("POST", "/api/active", Map.of(), "{\"model\": \"keep:me\"}").status()).as("no type at all").isEqualTo(415);
        assertThat(s.get("/api/pulls").json()).isEmpty();
        var typed = s.raw("POST", "/api/pulls/feedbeef/pause", Map.of("Content-Type", "application/json; charset=utf-8"), "");
        assertThat(typed.status()).as("past the guard, to the handler: " + typed.body()).isEqualTo(404);
    }

    @Test
    void aHugeModelNameIsRefusedBeforeAnyWorkAndNothingOfItIsLogged() {
        s = ServerFixture.start(home);
        String name = "x".repeat(600_000);
        var r = s.post("/v1/chat/completions", "{\"model\": \"" + name + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("600000 characters long").hasSizeLessThan(400);
        assertThat(s.paddock.requestLog().since(java.time.Instant.EPOCH, null)).isEmpty();
    }

    @Test
    void noPageMayBeFramedAndTheTokenNeverLeaksInAReferrer() {
        s = ServerFixture.start(home);
        for (String path : List.of("/", "/api/models", "/no/such/page")) {
            var r = s.get(path);
            assertThat(r.headers().get("x-frame-options")).as(path).containsExactly("DENY");
            assertThat(r.headers().get("content-security-policy")).as(path).containsExactly("frame-ancestors 'none'");
            assertThat(r.headers().get("referrer-policy")).as(path).containsExactly("no-referrer");
        }
    }

    @Test
    void withATokenACookieDoesNotLetAPageOnAnotherPortChangeAnything() {
        String token = "0123456789abcdef0123";
        s = new ServerFixture(home, ServerSettings.loopback(0).withToken(token), Map.of()).withToken(token);
        importTiny("keep:me");
        var first = s.withToken(null).send(HttpRequest.newBuilder(URI.create(s.base + "/?token=" + token)).GET());
        String cookie = first.headers().get("set-cookie").getFirst().split(";")[0];

        var delete = s.raw("DELETE", "/api/models/keep:me", Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:8000"), null);
        assertThat(delete.status()).isEqualTo(403);
        assertThat(s.withToken(token).get("/api/models?remote=false").json().get("models").findValuesAsText("name")).containsExactly("keep:me");
    }
}
