package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.error.PaddockException;
import dev.paddock.serving.RequestRecord;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.TestModels;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP: a server on a free port over a temporary home, its real store and database. */
class PaddockServerTest {
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

    @Test
    void modelsAreListedShownAndDeleted() {
        s = ServerFixture.start(home);
        importTiny("tiny:f32");

        JsonNode list = s.get("/api/models").json();
        assertThat(list.get("models")).singleElement().satisfies(m -> {
            assertThat(m.get("name").asText()).isEqualTo("tiny:f32");
            assertThat(m.get("provider").asText()).isEqualTo("local");
            assertThat(m.get("contextLength").asLong()).isEqualTo(2048);
            assertThat(m.get("fits").asBoolean()).isTrue();
            assertThat(m.get("digest").asText()).startsWith("sha256:");
        });
        JsonNode shown = s.get("/api/models/tiny:f32").json();
        assertThat(shown.at("/facts/architecture").asText()).isEqualTo("llama");
        assertThat(shown.at("/facts/blockCount").asLong()).isEqualTo(4);
        assertThat(shown.get("tensorCount").asInt()).isEqualTo(39);

        var removed = s.delete("/api/models/tiny:f32");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("freedBytes").asLong()).isPositive();
        var gone = s.get("/api/models/tiny:f32");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/error/code").asText()).isEqualTo("not_found");
        assertThat(s.get("/api/models").json().get("models")).isEmpty();
    }

    @Test
    void badInputGetsA4xxJsonErrorAndNothingChanges() throws Exception {
        s = ServerFixture.start(home);
        importTiny("keep:me");

        var traversal = s.delete("/api/models/..%2F..%2Fkeep:me");
        assertThat(traversal.status()).isEqualTo(400);
        assertThat(traversal.json().at("/error/message").asText()).contains("invalid model name");
        var badName = s.post("/api/models/import", "{\"path\": \"" + TestModels.tiny(files, "x.gguf") + "\", \"name\": \"../evil\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().at("/error/code").asText()).isEqualTo("invalid_input");
        assertThat(s.post("/api/models/import", "{\"path\": \"relative/x.gguf\"}").status()).isEqualTo(400);
        Path notGguf = Files.writeString(files.resolve("notes.gguf"), "not a model at all");
        var corrupt = s.post("/api/models/import", "{\"path\": \"" + notGguf + "\"}");
        assertThat(corrupt.status()).isEqualTo(422);
        assertThat(s.post("/api/models/import", "{not json").json().at("/error/message").asText()).contains("not valid JSON");
        assertThat(s.post("/api/pulls", "{\"source\": 42}").json().at("/error/message").asText()).isEqualTo("\"source\" must be a string");
        assertThat(s.post("/api/benchmarks", "{\"models\": [\"keep:me\"], \"reps\": 0}").status()).isEqualTo(400);
        var noEngine = s.post("/api/benchmarks", "{\"models\": [\"keep:me\"], \"engine\": \"nosuch\"}");
        assertThat(noEngine.status()).isEqualTo(404);
        assertThat(noEngine.json().at("/error/message").asText()).isEqualTo("no engine nosuch is installed; install one with: paddock engine install");
        assertThat(s.post("/api/engines", "{\"source\": \"npm:broken\"}").status()).isEqualTo(400);
        assertThat(s.post("/api/engines/nosuch/use", "{}").status()).isEqualTo(404);
        assertThat(s.post("/api/engines/..%2Fx/use", "{}").status()).isIn(400, 404);
        assertThat(s.get("/api/engines").json().get("engines").size()).isZero();

        var unknown = s.get("/api/no/such/route");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/message").asText()).contains("no route GET /api/no/such/route");
        assertThat(s.get("/v1/nothing").json().at("/error/code").asText()).isEqualTo("not_found");
        for (String typo : List.of("/api/history/kep:me", "/api/charts/history/kep:me", "/api/charts/history/kep:me?format=json")) {
            var noModel = s.get(typo);
            assertThat(noModel.status()).as(typo).isEqualTo(404);
            assertThat(noModel.json().at("/error/message").asText()).as(typo).contains("kep:me").contains("keep:me");
        }
        assertThat(s.get("/api/history/keep:me").json()).as("installed, not benchmarked yet: no runs").isEmpty();
        assertThat(s.get("/api/charts/history/keep:me?format=json").status()).isEqualTo(200);

        for (String path : List.of("/v1/chat/completions", "/api/pulls", "/v1/messages")) { // a client that died mid-request
            var cut = s.rawCut("POST", path, "{\"model\": \"keep:me\", \"mess", 87);
            assertThat(cut.status()).as(path).isEqualTo(400);
            assertThat(cut.body()).as(path).contains("the request body ended before its Content-Length (87 bytes)");
        }

        String big = "{\"path\": \"" + "x".repeat(2 << 20) + "\"}";
        var tooLarge = s.post("/api/models/import", big);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().at("/error/code").asText()).isEqualTo("too_large");

        assertThat(s.get("/api/models").json().get("models")).extracting(m -> m.get("name").asText()).containsExactly("keep:me");
        assertThat(s.get("/api/models").status()).as("the server is still up").isEqualTo(200);
    }

    @Test
    void aTokenIsRequiredOnEveryRouteAndComparedExactly() {
        String token = "0123456789abcdef0123";
        s = new ServerFixture(home, ServerSettings.loopback(0).withToken(token), Map.of());

        var missing = s.get("/api/models");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("unauthorized");
        assertThat(missing.headers().get("www-authenticate")).containsExactly("Bearer");
        assertThat(s.withToken(token + "x").get("/api/models").status()).isEqualTo(401);
        assertThat(s.withToken("wrong").get("/").status()).isEqualTo(401);
        assertThat(s.withToken(token).get("/api/models").status()).isEqualTo(200);
        assertThat(s.get("/v1/models").status()).isEqualTo(200);

        // A browser opens /?token=… once and then holds the token as a cookie.
        var first = s.withToken(null).send(HttpRequest.newBuilder(URI.create(s.base + "/?token=" + token)).GET());
        assertThat(first.status()).isEqualTo(200);
        String cookie = first.headers().get("set-cookie").getFirst();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
        var next = s.send(HttpRequest.newBuilder(URI.create(s.base + "/status")).header("Cookie", cookie.split(";")[0]).GET());
        assertThat(next.status()).isEqualTo(200);
    }

    @Test
    void aBodyWithinTheLimitIsReadWhateverTheLengthOfItsStrings() {
        // an image's base64 is one string: past Jackson's own cap of 20 million characters it was "not valid JSON"
        s = new ServerFixture(home, new ServerSettings("127.0.0.1", 0, null, 32L << 20, List.of()), Map.of());
        var r = s.post("/api/models/import", "{\"path\": \"/" + "x".repeat(21_000_000) + "\"}");
        assertThat(r.status()).as("no such file").isEqualTo(404);
        assertThat(r.json().at("/error/message").asText()).doesNotContain("not valid JSON").hasSizeLessThan(700);
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefusedAtStart() {
        assertThatThrownBy(() -> new ServerFixture(home, new ServerSettings("0.0.0.0", 0, null, 1 << 20, List.of()), Map.of()))
                .isInstanceOf(PaddockException.class).hasMessageContaining("refusing to listen on 0.0.0.0 without an access token");
        assertThatThrownBy(() -> new ServerSettings("0.0.0.0", 0, "short", 1 << 20, List.of()).check())
                .hasMessageContaining("too short");
        new ServerSettings("0.0.0.0", 0, "0123456789abcdef0123", 1 << 20, List.of()).check();
        new ServerSettings("localhost", 0, null, 1 << 20, List.of()).check();
    }

    @Test
    void theOpenApiDocumentDescribesEveryRoute() {
        s = ServerFixture.start(home);
        JsonNode doc = s.get("/api/openapi.json").json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new HashSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> documented.add(m.getKey().toUpperCase() + " " + p.getKey())));
        List<String> routes = new ArrayList<>();
        for (String r : s.server.registeredRoutes()) {
            String path = r.substring(r.indexOf(' ') + 1);
            if (path.startsWith("/api") || path.startsWith("/v1")) {
                routes.add(r.substring(0, r.indexOf(' ')) + " " + OpenApiDocument.openApiPath(path));
            }
        }
        assertThat(routes).hasSizeGreaterThan(30);
        assertThat(documented).containsAll(routes);
        assertThat(routes).containsAll(documented);
        assertThat(doc.at("/paths/~1api~1models~1{name}/delete/parameters/0/name").asText()).isEqualTo("name");

        // real schemas: a request body's fields with their types and which are required
        JsonNode pull = doc.at("/paths/~1api~1pulls/post/requestBody/content/application~1json/schema");
        assertThat(pull.at("/properties/source/type").asText()).isEqualTo("string");
        assertThat(pull.at("/properties/mmproj/type").asText()).isEqualTo("boolean");
        assertThat(pull.path("required")).extracting(JsonNode::asText).containsExactly("source");
        assertThat(doc.at("/paths/~1api~1benchmarks/post/requestBody/content/application~1json/schema/properties/suite/enum"))
                .extracting(JsonNode::asText).containsExactly("speed", "quality", "all");
        // and the answers' records, each field of the wire as the server writes it
        assertThat(doc.at("/paths/~1api~1models/get/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/ModelRoutesModelList");
        JsonNode row = doc.at("/components/schemas/InventoryRow/properties");
        assertThat(row.at("/vision/type")).extracting(JsonNode::asText).containsExactly("boolean", "null"); // a reference may be null
        assertThat(row.at("/addedAt/format").asText()).isEqualTo("date-time");
        importTiny("schema:check");
        JsonNode listed = s.get("/api/models?remote=false").json().path("models").get(0);
        listed.fieldNames().forEachRemaining(f -> assertThat(row.has(f)).as("the schema has the wire's field " + f).isTrue());
        assertThat(doc.at("/components/schemas/FitReport/properties/estimate/anyOf/0/$ref").asText()).isEqualTo("#/components/schemas/MemoryEstimate");

        // every JSON answer has a schema, with the status it is sent with (an import creates: 201)
        List<String> undescribed = new ArrayList<>();
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            JsonNode responses = op.getValue().path("responses");
            responses.properties().stream().filter(r -> !r.getKey().equals("default")).forEach(r -> {
                JsonNode schema = r.getValue().at("/content/application~1json/schema");
                if (!schema.isMissingNode() && schema.isEmpty()) {
                    undescribed.add(op.getKey() + " " + p.getKey());
                }
            });
        }));
        assertThat(undescribed).as("answers without a schema").isEmpty();
        assertThat(doc.at("/paths/~1api~1models~1import/post/responses").has("201")).isTrue();
        assertThat(doc.at("/paths/~1api~1pulls/post/responses").has("202")).isTrue();
        assertThat(doc.at("/paths/~1v1~1messages/post/responses/200/content/application~1json/schema/properties/stop_reason/enum"))
                .extracting(JsonNode::asText).contains("stop_sequence", "tool_use");
        // the query parameters its summary names, and a chart's two forms
        assertThat(doc.at("/paths/~1api~1compare~1chart/get/parameters")).extracting(p -> p.path("name").asText())
                .contains("models", "metric", "format");
        assertThat(doc.at("/paths/~1api~1compare~1chart/get/responses/200/content").has("image/svg+xml")).isTrue();
        assertThat(doc.at("/components/schemas/StoredModel/properties/digest/type")).extracting(JsonNode::asText).contains("string");
        // and the fields real answers carry are in their schemas (nested ones too)
        for (String path : List.of("/api/active", "/v1/models", "/api/engines", "/api/models/schema:check", "/api/pulls",
                "/api/benchmarks/jobs", "/api/compare?models=schema:check", "/api/models?remote=false", "/api/catalog", "/api/registry",
                "/api/status", "/api/hardware", "/api/fit/schema:check", "/api/providers")) {
            String templated = path.replace("/fit/schema:check", "/fit/{model}").replace("schema:check", "{name}").replaceAll("\\?.*", "");
            JsonNode schema = doc.at("/paths/" + templated.replace("/", "~1") + "/get/responses/200/content/application~1json/schema");
            assertThat(schema.isMissingNode() || schema.isEmpty()).as(path + " has a documented answer").isFalse();
            assertFieldsDescribed(path, s.get(path).json(), schema, doc);
        }
    }

    /** Each field of {@code value} is a property of {@code schema} (following $refs and array items), all the way down. */
    private static void assertFieldsDescribed(String where, JsonNode value, JsonNode schema, JsonNode doc) {
        if (schema.has("anyOf")) { // a nullable record: null, or the record
            if (value.isNull()) {
                return;
            }
            schema = schema.get("anyOf").get(0);
        }
        while (schema.has("$ref")) {
            schema = doc.at(schema.get("$ref").asText().substring(1));
        }
        JsonNode type = schema.path("type");
        if (value.isNull()) {
            assertThat(type.isArray() && type.toString().contains("\"null\"") || schema.isEmpty())
                    .as(where + " is null, which its schema " + schema + " does not allow").isTrue();
            return;
        }
        if (value.isTextual() && !type.isMissingNode()) {
            assertThat(type.toString()).as(where + " is text, its schema " + schema).contains("string");
        }
        if (schema.isEmpty()) {
            return; // free-form by design
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                assertFieldsDescribed(where + "[]", item, schema.path("items"), doc);
            }
        } else if (value.isObject() && schema.has("properties")) {
            JsonNode props = schema.get("properties");
            value.properties().forEach(f -> {
                assertThat(props.has(f.getKey())).as(where + " has the documented field " + f.getKey() + " (schema " + props + ")").isTrue();
                assertFieldsDescribed(where + "." + f.getKey(), f.getValue(), props.get(f.getKey()), doc);
            });
        }
    }

    @Test
    void aPullRunsAsAJobWithLiveEventsAndTheModelAppears() throws Exception {
        s = ServerFixture.start(home);
        Path model = TestModels.tiny(files, "remote.gguf");
        try (FaultyFileServer files = new FaultyFileServer().serve("remote.gguf", model).throttle(4 << 20)) {
            var started = s.post("/api/pulls", "{\"source\": \"" + files.url("remote.gguf") + "\", \"name\": \"pulled:tiny\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String id = started.json().get("id").asText();

            List<Map<String, String>> events = s.events("/api/pulls/" + id + "/events");

            List<String> types = events.stream().map(e -> e.get("event")).toList();
            assertThat(types).contains("progress", "done").last().isEqualTo("end");
            JsonNode done = ServerFixture.JSON.readTree(events.stream().filter(e -> e.get("event").equals("done")).findFirst().orElseThrow().get("data"));
            assertThat(done.at("/data/model").asText()).isEqualTo("pulled:tiny");
            JsonNode end = ServerFixture.JSON.readTree(events.getLast().get("data"));
            assertThat(end.at("/data/state").asText()).isEqualTo("done");
            assertThat(s.get("/api/pulls/" + id).json().get("state").asText()).isEqualTo("done");
            assertThat(s.get("/api/models").json().get("models")).extracting(m -> m.get("name").asText()).contains("pulled:tiny");
            assertThat(s.get("/api/pulls").json()).extracting(j -> j.get("id").asText()).contains(id);
        }
    }

    private String waitForState(String id, String... states) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            JsonNode j = s.get("/api/pulls/" + id).json();
            if (List.of(states).contains(j.get("state").asText())) {
                return j.get("state").asText();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " never reached " + List.of(states) + ": " + s.get("/api/pulls/" + id).body());
    }

    @Test
    void aPullIsPausedResumedToTheEndAndAnotherCancelled() throws Exception {
        s = ServerFixture.start(home);
        Path model = TestModels.tiny(files, "slow.gguf");
        try (FaultyFileServer files = new FaultyFileServer().serve("slow.gguf", model).holdAfter(Files.size(model) / 2)) {
            String id = s.post("/api/pulls", "{\"source\": \"" + files.url("slow.gguf") + "\", \"name\": \"slow:tiny\"}").json().get("id").asText();
            waitForState(id, "running");
            assertThat(s.post("/api/pulls/" + id + "/pause", "").status()).isEqualTo(200);
            waitForState(id, "paused");
            assertThat(s.post("/api/pulls/" + id + "/cancel", "").status()).as("a paused job can still be cancelled later").isEqualTo(200);
            waitForState(id, "cancelled");
            assertThat(s.post("/api/pulls/" + id + "/resume", "").status()).as("cancelled is final").isEqualTo(409);

            files.holdAfter(files.bodyBytesSent() + Files.size(model) / 2); // the next pull is caught half-way too
            String again = s.post("/api/pulls", "{\"source\": \"" + files.url("slow.gguf") + "\", \"name\": \"slow:tiny\"}").json().get("id")
                    .asText();
            waitForState(again, "running");
            s.post("/api/pulls/" + again + "/pause", "");
            waitForState(again, "paused");
            files.release();
            var resumed = s.post("/api/pulls/" + again + "/resume", "");
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(202);
            List<Map<String, String>> events = s.events("/api/pulls/" + again + "/events");
            assertThat(ServerFixture.JSON.readTree(events.getLast().get("data")).at("/data/state").asText()).isEqualTo("done");
            assertThat(s.get("/api/models").json().get("models")).extracting(m -> m.get("name").asText()).contains("slow:tiny");
        }
    }

    @Test
    void aSplitPullIsFollowedPausedAndResumedToTheEndUnderTheIdItStartedWith() throws Exception {
        Path f16 = TestModels.write(dev.paddock.gguf.LlamaModelSpec.tiny().withWeights(dev.paddock.gguf.GgmlType.F16), files, "f16.gguf");
        List<Path> parts = dev.paddock.gguf.GgufSplit.split(f16, 2, files, "Tiny-F16");
        Map<String, Path> quants = new java.util.LinkedHashMap<>();
        quants.put("Tiny-F16-00001-of-00002.gguf", parts.get(0));
        quants.put("Tiny-F16-00002-of-00002.gguf", parts.get(1));
        try (dev.paddock.testing.FakeHub hub = new dev.paddock.testing.FakeHub().repo("paddock/tiny-GGUF", "llama", 854_000, quants)) {
            s = new ServerFixture(home, ServerSettings.loopback(0), Map.of("HF_ENDPOINT", hub.endpoint()));
            hub.cdn().holdWithin("paddock_tiny-GGUF_Tiny-F16-00002-of-00002.gguf", Files.size(parts.get(1)) / 2); // caught half-way
            var started = s.post("/api/pulls", "{\"source\": \"hf://paddock/tiny-GGUF:F16\", \"name\": \"split:tiny\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String id = started.json().get("id").asText();
            String second = id.substring(0, id.lastIndexOf('-')) + "-2";
            try (ServerFixture.EventStream events = s.stream("/api/pulls/" + id + "/events")) {
                events.until(e -> "progress".equals(e.get("event")) && e.get("data").contains("\"jobId\":\"" + second + "\""));
            }
            hub.cdn().awaitHeld();

            var paused = s.post("/api/pulls/" + id + "/pause", "");
            assertThat(paused.status()).as("the pull's id pauses the part running now: " + paused.body()).isEqualTo(200);
            waitForState(second, "paused");
            hub.cdn().release();
            var resumed = s.post("/api/pulls/" + id + "/resume", "");
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(202);
            assertThat(resumed.json().get("id").asText()).isEqualTo(id);
            List<Map<String, String>> events = s.events("/api/pulls/" + id + "/events");

            assertThat(events).extracting(e -> e.get("event")).contains("done").last().isEqualTo("end");
            assertThat(ServerFixture.JSON.readTree(events.getLast().get("data")).at("/data/state").asText()).isEqualTo("done");
            assertThat(s.get("/api/models/split:tiny").status()).isEqualTo(200);
        }
    }

    @Test
    void aPullFromAMissingFileEndsWithItsErrorAndABadUrlIsRefusedAtOnce() throws Exception {
        s = ServerFixture.start(home);
        try (FaultyFileServer files = new FaultyFileServer()) {
            var started = s.post("/api/pulls", "{\"source\": \"" + files.url("missing.gguf") + "\"}");
            assertThat(started.status()).isEqualTo(202);
            List<Map<String, String>> events = s.events("/api/pulls/" + started.json().get("id").asText() + "/events");
            assertThat(events).as(started.body() + " / " + s.get("/api/pulls/" + started.json().get("id").asText()).body()).isNotEmpty();
            JsonNode end = ServerFixture.JSON.readTree(events.getLast().get("data"));
            assertThat(end.at("/data/state").asText()).isEqualTo("failed");
            assertThat(end.at("/data/error").asText()).contains("404");
        }
        var bad = s.post("/api/pulls", "{\"source\": \"ftp://example.com/x.gguf\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/message").asText()).isNotBlank();
    }

    @Test
    void aModelWithAHostileValueIsRefusedBeforeARunnerStarts() {
        s = ServerFixture.start(home);
        var t = dev.paddock.gguf.LlamaModelSpec.tiny();
        Path zero = TestModels.write(new dev.paddock.gguf.LlamaModelSpec(t.name(), t.vocabSize(), t.embeddingLength(), t.blockCount(),
                t.feedForwardLength(), t.headCount(), t.headCountKv(), 0, t.weightType(), t.tiedEmbeddings(), t.chatTemplate(), t.seed(), t.architecture()),
                files, "zero.gguf");
        assertThat(s.post("/api/models/import", "{\"path\": \"" + zero + "\", \"name\": \"zero:ctx\"}").status()).isEqualTo(201);

        var use = s.post("/api/active", "{\"model\": \"zero:ctx\"}");
        assertThat(use.status()).as(use.body()).isEqualTo(422);
        assertThat(use.json().at("/error/message").asText()).startsWith("refusing to load zero:ctx: its metadata key llama.context_length is 0");
        assertThat(s.paddock.supervisor().loaded()).isEmpty();
        assertThat(s.get("/api/models").status()).as("the server is still up").isEqualTo(200);
    }

    @Test
    void removingTheActiveModelStopsItsRunnerAndClearsIt() {
        s = ServerFixture.start(home);
        importTiny("tiny:f32");
        assertThat(s.post("/api/active", "{\"model\": \"tiny:f32\"}").status()).isEqualTo(200);
        assertThat(s.paddock.supervisor().loaded()).hasSize(1);

        var removed = s.delete("/api/models/tiny:f32");

        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json().get("notes").toString()).contains("stopped the runner of tiny:f32",
                "tiny:f32 was the active model; none is active now");
        assertThat(s.get("/api/active").json().get("model").asText()).isEmpty();
        assertThat(s.paddock.supervisor().loaded()).isEmpty();
        assertThat(s.get("/api/status").status()).isEqualTo(200);
    }

    @Test
    void analyticsSumRequestsPerModelWithPercentilesAndCost() {
        s = ServerFixture.start(home);
        Instant now = Instant.now();
        var log = s.paddock.requestLog();
        double[] durations = {100, 200, 300, 400};
        for (int i = 0; i < durations.length; i++) {
            log.record(new RequestRecord("r" + i, "gpt-4o", "openai", "gateway", now.minusSeconds(60 - i), 20.0, durations[i], 1_000_000,
                    500_000, RequestRecord.OK, null, 0.25 * (i + 1)));
        }
        log.record(new RequestRecord("e", "gpt-4o", "openai", "gateway", now.minusSeconds(30), null, 50, null, null, RequestRecord.ERROR, "down",
                null));
        log.record(new RequestRecord("l", "tiny:f32", "local", "gateway", now.minusSeconds(30), 5.0, 80, 10, 20, RequestRecord.OK, null, null));

        JsonNode a = s.get("/api/analytics?from=1h").json();

        JsonNode cloud = null;
        JsonNode local = null;
        for (JsonNode m : a.get("models")) {
            if (m.get("model").asText().equals("gpt-4o")) {
                cloud = m;
            } else {
                local = m;
            }
        }
        assertThat(cloud.get("requests").asInt()).isEqualTo(5);
        assertThat(cloud.get("errorRate").asDouble()).isEqualTo(0.2);
        assertThat(cloud.get("p50LatencyMillis").asDouble()).isEqualTo(250.0); // linear interpolation of 100..400
        assertThat(cloud.get("p95LatencyMillis").asDouble()).isEqualTo(385.0);
        assertThat(cloud.get("promptTokens").asLong()).isEqualTo(4_000_000);
        assertThat(cloud.get("costUsd").asDouble()).as("the recorded costs, summed").isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(local.get("costUsd").isNull()).as("a local model has no price: unknown, not $0").isTrue();
        assertThat(a.get("series")).hasSize(24);
        assertThat(a.get("series").findValues("requests").stream().mapToInt(JsonNode::asInt).sum()).isEqualTo(6);
        assertThat(s.get("/api/analytics?from=yesterday").status()).isEqualTo(400);
    }

    @Test
    void aStoredRunExportsAsCsvAndJson() {
        s = ServerFixture.start(home);
        var run = new dev.paddock.bench.BenchRun("run-1", "tiny:f32", "local", null, "F32", "llama.cpp", "2 cores", "{}", "speed", "1",
                Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T10:01:00Z"), "complete", null,
                List.of(new dev.paddock.bench.SpeedSample(1, 16, 8, 900.0, 300.0, 10.0, 3.0, 40.0, List.of(3.0), null, null)));
        s.paddock.benchRuns().save(run);

        var csv = s.get("/api/benchmarks/runs/run-1/export?format=csv");
        assertThat(csv.headers().get("content-type").getFirst()).startsWith("text/csv");
        assertThat(csv.headers().get("content-disposition").getFirst()).contains("run-run-1.csv");
        List<List<String>> rows = dev.paddock.bench.RunCsv.parse(csv.body());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get(dev.paddock.bench.RunCsv.HEADER.indexOf("tg_tok_s"))).isEqualTo("300.0");
        JsonNode json = s.get("/api/benchmarks/runs/run-1/export").json();
        assertThat(json.at("/samples/0/generationTokensPerSecond").asDouble()).isEqualTo(300.0);
        assertThat(s.get("/api/benchmarks/runs/run-1/export?format=xml").status()).isEqualTo(400);
        assertThat(s.get("/api/benchmarks/runs/nope/export").status()).isEqualTo(404);
        assertThat(s.get("/api/benchmarks/runs").json()).extracting(r -> r.get("id").asText()).containsExactly("run-1");
    }

    @Test
    void readOnlyAnswersComeFromTheSameServicesAsTheCli() {
        s = ServerFixture.start(home);
        importTiny("tiny:f32");
        assertThat(s.get("/api/hardware").json().at("/cpu/logicalCpus").asInt()).isPositive();
        JsonNode fit = s.get("/api/fit/tiny:f32?context=1024").json();
        assertThat(fit.get("fits").asBoolean()).isTrue();
        assertThat(fit.at("/estimate/context").asInt()).isEqualTo(1024);
        assertThat(s.get("/api/registry").json().size()).isGreaterThan(10);
        JsonNode cost = s.post("/api/cost", "{\"models\": [\"openai/gpt-4o\"], \"input\": \"1M\", \"output\": \"1M\"}").json();
        var price = s.paddock.registry().find("openai/gpt-4o").orElseThrow().price();
        assertThat(cost.at("/perMonth/0/perPeriod").asDouble()).isCloseTo(price.inputPerMillion() + price.outputPerMillion(),
                org.assertj.core.data.Offset.offset(1e-9));
        JsonNode rec = s.post("/api/recommend", "{\"task\": \"code\", \"localOnly\": true}").json();
        assertThat(rec.get("ranked")).extracting(r -> r.get("model").asText()).containsExactly("tiny:f32");
        assertThat(s.post("/api/recommend", "{\"task\": \"juggling\"}").status()).isEqualTo(400);
        assertThat(s.get("/api/compare?models=tiny:f32").json().get("missing")).extracting(JsonNode::asText).containsExactly("tiny:f32");
        assertThat(s.get("/api/compare").status()).isEqualTo(400);
        assertThat(s.get("/api/status").json().get("activeModel").isNull()).isTrue();
        assertThat(s.get("/api/providers").json()).extracting(p -> p.get("name").asText()).contains("local");
        assertThat(s.get("/api/catalog").json().size()).isPositive();
        assertThat(s.get("/v1/models").json().get("data")).extracting(m -> m.get("id").asText()).contains("tiny:f32", "auto", "auto:code");
        for (String page : List.of("/", "/benchmarks", "/compare?models=tiny:f32", "/hardware", "/registry", "/recommend", "/status")) {
            var p = s.get(page);
            assertThat(p.status()).as(page + ": " + p.body()).isEqualTo(200);
            assertThat(p.body()).contains("<main id=\"main\" tabindex=\"-1\">", "<a class=\"skip\" href=\"#main\">");
        }
        assertThat(s.get("/").body()).contains("tiny:f32");
        assertThat(s.get("/assets/app.js").body()).contains("EventSource");
        var escape = s.get("/assets/..%2F..%2F..%2Fetc%2Fpasswd");
        assertThat(escape.status()).isIn(400, 404);
        assertThat(escape.body()).doesNotContain("root:");
    }
}
