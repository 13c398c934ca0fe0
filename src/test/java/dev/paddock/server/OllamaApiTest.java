package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.testing.FakeHttpServer;
import dev.paddock.testing.FakeHttpServer.Answer;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.TestModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ollama's API on its own port, called over raw HTTP as Ollama's API documentation writes its requests, answered from
 * Paddock's store and, for chat, an OpenAI-compatible provider on 127.0.0.1 (OpenAI's documented stream).
 */
class OllamaApiTest {
    @TempDir Path home;
    @TempDir Path files;
    private FakeHttpServer upstream;
    private ServerFixture s;
    private String ollama;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String HEAD = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,";

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeHttpServer();
        Files.writeString(home.resolve("config.toml"), "[providers.oai]\nkind = \"openai\"\nurl = \"" + upstream.url() + "/v1\"\n");
        s = new ServerFixture(home, ServerSettings.loopback(0).withOllamaPort(0), Map.of());
        ollama = "http://127.0.0.1:" + s.server.ollamaPort().orElseThrow();
    }

    @AfterEach
    void stop() {
        s.close();
        upstream.close();
    }

    private record Reply(int status, String body, String contentType) {
        JsonNode json() {
            return parse(body);
        }

        List<JsonNode> lines() {
            List<JsonNode> out = new ArrayList<>();
            body.lines().filter(l -> !l.isBlank()).forEach(l -> out.add(parse(l)));
            return out;
        }
    }

    private static JsonNode parse(String text) {
        try {
            return ServerFixture.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private Reply send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ollama + path)).timeout(Duration.ofSeconds(30));
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    private void chatAnswers(String... pieces) {
        List<String> chunks = new ArrayList<>();
        chunks.add(HEAD + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (String p : pieces) {
            chunks.add(HEAD + "\"delta\":{\"content\":\"" + p + "\"},\"finish_reason\":null}]}\n\n");
        }
        chunks.add(HEAD + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        chunks.add("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":26,\"completion_tokens\":" + pieces.length + ",\"total_tokens\":" + (26 + pieces.length) + "}}\n\n");
        chunks.add("data: [DONE]\n\n");
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", chunks));
    }

    @Test
    void itAnswersAsOllamaDoesWhereClientsProbeIt() throws Exception {
        assertThat(send("GET", "/", null).body()).startsWith("Ollama is running");
        assertThat(send("GET", "/api/version", null).json().path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
        Reply missing = send("POST", "/api/show", "{\"model\": \"nosuch\"}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).as("Ollama's error shape").contains("nosuch");
    }

    @Test
    void tagsShowAndDeleteCoverTheStoreWithOllamasDetails() throws Exception {
        s.importTiny(files, "tiny:latest");

        JsonNode tags = send("GET", "/api/tags", null).json().path("models");
        JsonNode tiny = tags.get(0);
        assertThat(tiny.path("name").asText()).isEqualTo("tiny:latest");
        assertThat(tiny.path("size").asLong()).isEqualTo(Files.size(files.resolve("tiny-latest.gguf")));
        assertThat(tiny.path("digest").asText()).hasSize(64);
        assertThat(tiny.path("details").path("format").asText()).isEqualTo("gguf");
        assertThat(tiny.path("details").path("family").asText()).isEqualTo("llama");
        assertThat(tiny.path("details").path("parameter_size").asText()).isEqualTo("0.9M");

        JsonNode show = send("POST", "/api/show", "{\"model\": \"tiny\"}").json();
        assertThat(show.path("template").asText()).contains("<|im_start|>");
        assertThat(show.path("model_info").path("llama.context_length").asLong()).isEqualTo(2048);
        assertThat(show.path("capabilities").toString()).contains("completion");

        assertThat(send("DELETE", "/api/delete", "{\"model\": \"tiny\"}").status()).isEqualTo(200);
        assertThat(send("GET", "/api/tags", null).json().path("models").toString()).doesNotContain("tiny:latest");
        assertThat(send("DELETE", "/api/delete", "{\"model\": \"tiny\"}").status()).isEqualTo(404);
    }

    @Test
    void chatStreamsNdjsonByDefaultAndAnswersWholeWhenAskedWithTheCountsOllamaReports() throws Exception {
        chatAnswers("The", " sky", " is blue");
        String ask = "{\"model\": \"oai/gpt-4.1\", \"messages\": [{\"role\": \"user\", \"content\": \"why is the sky blue?\"}],"
                + " \"options\": {\"temperature\": 0, \"num_predict\": 3, \"num_ctx\": 4096, \"top_k\": 20}}";

        Reply streamed = send("POST", "/api/chat", ask);
        assertThat(streamed.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines = streamed.lines();
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l.path("message").path("content").asText()));
        assertThat(text.toString()).isEqualTo("The sky is blue");
        assertThat(lines.subList(0, lines.size() - 1)).allSatisfy(l -> assertThat(l.path("done").asBoolean()).isFalse());
        JsonNode done = lines.getLast();
        assertThat(done.path("done").asBoolean()).isTrue();
        assertThat(done.path("done_reason").asText()).isEqualTo("stop");
        assertThat(done.path("prompt_eval_count").asInt()).isEqualTo(26);
        assertThat(done.path("eval_count").asInt()).isEqualTo(3);
        assertThat(done.path("total_duration").asLong()).isPositive();
        JsonNode sent = parse(upstream.requests().getLast().body());
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(3);
        assertThat(sent.path("top_k").asInt()).as("llama.cpp's sampling options go on").isEqualTo(20);
        assertThat(sent.has("num_ctx")).as("a local model's load setting, not a field of OpenAI's").isFalse();

        JsonNode whole = send("POST", "/api/chat", ask.replace("\"options\"", "\"stream\": false, \"options\"")).json();
        assertThat(whole.path("message").path("content").asText()).isEqualTo("The sky is blue");
        assertThat(whole.path("done").asBoolean()).isTrue();

        assertThat(send("POST", "/api/chat", ask.replace("\"top_k\": 20", "\"nonsense\": 1")).json().path("error").asText())
                .contains("nonsense");
    }

    @Test
    void toolsAndFormatSchemasGoOnAndToolCallsComeBackWholeWithObjectArguments() throws Exception {
        upstream.on("POST /v1/chat/completions", Answer.stream("text/event-stream", List.of(
                HEAD + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_current_weather\",\"arguments\":\"{\\\"location\\\":\"}}]},\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris, FR\\\",\\\"format\\\":\\\"celsius\\\"}\"}}]},"
                        + "\"finish_reason\":null}]}\n\n",
                HEAD + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n", "data: [DONE]\n\n")));
        // the request of Ollama's documentation for tool calling
        String ask = "{\"model\": \"oai/gpt-4.1\", \"messages\": [{\"role\": \"user\", \"content\": \"What is the weather today in Paris?\"}],"
                + " \"stream\": false, \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_current_weather\","
                + " \"description\": \"Get the current weather for a location\", \"parameters\": {\"type\": \"object\", \"properties\":"
                + " {\"location\": {\"type\": \"string\"}, \"format\": {\"type\": \"string\", \"enum\": [\"celsius\", \"fahrenheit\"]}},"
                + " \"required\": [\"location\", \"format\"]}}}]}";

        JsonNode answer = send("POST", "/api/chat", ask).json();

        JsonNode call = answer.path("message").path("tool_calls").get(0).path("function");
        assertThat(call.path("name").asText()).isEqualTo("get_current_weather");
        assertThat(call.path("arguments").path("location").asText()).as("arguments as an object, as Ollama sends them").isEqualTo("Paris, FR");
        assertThat(parse(upstream.requests().getLast().body()).path("tools").get(0).path("function").path("name").asText())
                .isEqualTo("get_current_weather");

        chatAnswers("{}");
        send("POST", "/api/chat", "{\"model\": \"oai/gpt-4.1\", \"stream\": false, \"messages\": [{\"role\": \"user\", \"content\": \"x\"},"
                + " {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"function\": {\"name\": \"get_current_weather\","
                + " \"arguments\": {\"location\": \"Paris\"}}}]}, {\"role\": \"tool\", \"tool_name\": \"get_current_weather\", \"content\": \"22\"}],"
                + " \"format\": {\"type\": \"object\", \"properties\": {\"t\": {\"type\": \"integer\"}}}}");
        JsonNode sent = parse(upstream.requests().getLast().body());
        String callId = sent.path("messages").get(1).path("tool_calls").get(0).path("id").asText();
        assertThat(sent.path("messages").get(2).path("tool_call_id").asText()).as("the result finds its call by name").isEqualTo(callId);
        assertThat(sent.path("response_format").path("json_schema").path("schema").path("properties").has("t")).isTrue();
    }

    @Test
    void embedAndGenerateAndPullSpeakOllamasShapes() throws Exception {
        upstream.on("POST /v1/embeddings", Answer.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[0.25,-0.5]},{\"object\":\"embedding\",\"index\":1,\"embedding\":[1.0,2.0]}],\"usage\":{\"prompt_tokens\":4,"
                + "\"total_tokens\":4}}"));
        JsonNode embed = send("POST", "/api/embed", "{\"model\": \"oai/text-embedding-3-small\", \"input\": [\"Why is the sky blue?\","
                + " \"Why is the grass green?\"]}").json();
        assertThat(embed.path("embeddings").get(0).get(1).asDouble()).isEqualTo(-0.5);
        assertThat(embed.path("embeddings").get(1).get(0).asDouble()).isEqualTo(1.0);
        assertThat(embed.path("prompt_eval_count").asInt()).isEqualTo(4);

        chatAnswers("Rayleigh");
        List<JsonNode> generated = send("POST", "/api/generate", "{\"model\": \"oai/gpt-4.1\", \"prompt\": \"Why is the sky blue?\","
                + " \"system\": \"Answer in one word.\"}").lines();
        assertThat(generated.getFirst().path("response").asText()).isEqualTo("Rayleigh");
        assertThat(generated.getLast().path("done").asBoolean()).isTrue();
        JsonNode sent = parse(upstream.requests().getLast().body());
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Answer in one word.");

        // the deprecated context continues the conversation: sent back, its turns come before the new prompt
        JsonNode context = generated.getLast().path("context");
        assertThat(context.isArray() && !context.isEmpty()).as("a context in the last line").isTrue();
        chatAnswers("Scattering");
        JsonNode next = send("POST", "/api/generate", "{\"model\": \"oai/gpt-4.1\", \"prompt\": \"And at sunset? Ünïcode ✓\","
                + " \"stream\": false, \"context\": " + context + "}").json();
        assertThat(next.path("response").asText()).isEqualTo("Scattering");
        JsonNode turns = parse(upstream.requests().getLast().body()).path("messages");
        assertThat(turns).extracting(t -> t.path("role").asText() + ": " + t.path("content").asText())
                .containsExactly("user: Why is the sky blue?", "assistant: Rayleigh", "user: And at sunset? Ünïcode ✓");
        chatAnswers("Red");
        send("POST", "/api/generate", "{\"model\": \"oai/gpt-4.1\", \"prompt\": \"Colour?\", \"stream\": false,"
                + " \"context\": " + next.path("context") + "}");
        assertThat(parse(upstream.requests().getLast().body()).path("messages")).extracting(t -> t.path("content").asText())
                .containsExactly("Why is the sky blue?", "Rayleigh", "And at sunset? Ünïcode ✓", "Scattering", "Colour?");
        Reply foreign = send("POST", "/api/generate", "{\"model\": \"oai/gpt-4.1\", \"prompt\": \"x\", \"context\": [128000, 9906, 13]}");
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.json().path("error").asText()).contains("\"context\" is not one that Paddock's /api/generate gave");

        Path model = TestModels.tiny(files, "pulled.gguf");
        try (FaultyFileServer files = new FaultyFileServer().serve("pulled.gguf", model)) {
            List<JsonNode> pull = send("POST", "/api/pull", "{\"model\": \"" + files.url("pulled.gguf") + "\"}").lines();
            assertThat(pull.getFirst().path("status").asText()).isEqualTo("pulling manifest");
            assertThat(pull.getLast().path("status").asText()).isEqualTo("success");
            assertThat(pull).anySatisfy(l -> assertThat(l.path("completed").asLong()).isEqualTo(Files.size(model)));
        }
        assertThat(send("GET", "/api/tags", null).json().path("models").get(0).path("size").asLong()).isEqualTo(Files.size(model));
    }

    @Test
    void theOllamaPortKeepsTheServersGuardsAndServesTheOpenAiGatewayToo() throws Exception {
        HttpResponse<String> rebound = http.send(HttpRequest.newBuilder(URI.create(ollama + "/api/delete")).header("Origin",
                "http://evil.example").method("DELETE", HttpRequest.BodyPublishers.ofString("{\"model\": \"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rebound.statusCode()).isEqualTo(403);

        chatAnswers("Hi");
        Reply v1 = send("POST", "/v1/chat/completions", "{\"model\": \"oai/gpt-4.1\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
        assertThat(v1.json().path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hi");
        assertThat(send("POST", "/v1/chat/completions", "{}").json().path("error").path("message").asText())
                .as("the gateway's own error shape on /v1").isNotEmpty();
    }
}
