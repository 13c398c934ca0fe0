package dev.paddock.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.PaddockException;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A provider's answers that are not JSON are described, never quoted: a URL can point at a service that answers with secrets. */
class JsonHttpTest {
    private static final String SECRET = "db_password=hunter2";
    private FakeHttpServer server;
    private final JsonHttp http = new JsonHttp("Acme", Duration.ofSeconds(2));

    @BeforeEach
    void start() throws Exception {
        server = new FakeHttpServer();
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    @Test
    void anErrorPageIsNamedByWhatItIsNotByWhatItSays() {
        String page = "<!DOCTYPE html><html><body>" + SECRET + "</body></html>";
        server.on("GET /v1/models", new Answer(502, "text/html", List.of(page)));

        assertThatThrownBy(() -> http.get(URI.create(server.url() + "/v1/models"), Map.of(), Duration.ofSeconds(2)))
                .isInstanceOf(PaddockException.class)
                .hasMessage("Acme at " + server.url() + " answered 502: no JSON message; the answer is an HTML page of "
                        + page.length() + " characters")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aPlainTextErrorIsNotQuoted() {
        server.on("POST /v1/chat/completions", new Answer(400, "text/plain", List.of(SECRET)));

        assertThatThrownBy(() -> http.post(URI.create(server.url() + "/v1/chat/completions"), Map.of(), Map.of("a", 1),
                Duration.ofSeconds(2)))
                .hasMessageEndingWith("answered 400: no JSON message; the answer is " + SECRET.length() + " characters of text")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aSuccessThatIsNotJsonIsRefusedWithoutQuotingIt() {
        server.on("GET /v1/models", new Answer(200, "text/plain", List.of(SECRET)));

        assertThatThrownBy(() -> http.get(URI.create(server.url() + "/v1/models"), Map.of(), Duration.ofSeconds(2)))
                .hasMessageContaining("sent something that is not JSON (" + SECRET.length() + " characters of text)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theProvidersOwnJsonMessageIsKept() {
        server.on("GET /v1/models", Answer.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));

        assertThatThrownBy(() -> http.get(URI.create(server.url() + "/v1/models"), Map.of(), Duration.ofSeconds(2)))
                .hasMessageEndingWith("answered 401: Incorrect API key provided (check the API key)");
        assertThat(JsonHttp.errorMessage("  ")).isEqualTo("(no message)");
        assertThat(JsonHttp.errorMessage("{\"detail\":\"Not Found\"}")).as("FastAPI's, as vLLM answers").isEqualTo("Not Found");
        assertThat(JsonHttp.errorMessage("{\"secret\":\"" + SECRET + "\"}")).isEqualTo("no message in its JSON answer (32 characters)");
    }
}
