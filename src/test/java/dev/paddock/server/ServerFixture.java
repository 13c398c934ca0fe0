package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real server on a free loopback port over a temporary PADDOCK_HOME, and a small HTTP client for it. */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Paddock paddock;
    final PaddockServer server;
    final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    ServerFixture(Path home, ServerSettings settings, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("PADDOCK_HOME", home.toString());
        env.put("HOME", home.toString());
        env.put("PADDOCK_OLLAMA_URL", "http://127.0.0.1:9"); // no stray Ollama on this machine is asked
        paddock = new Paddock(PaddockConfig.load(Map.of(), env), env, w -> {}, Clock.systemUTC(), true);
        server = PaddockServer.start(paddock, settings, "test", line -> {});
        base = "http://127.0.0.1:" + server.port();
    }

    static ServerFixture start(Path home) {
        return new ServerFixture(home, ServerSettings.loopback(0), Map.of());
    }

    ServerFixture withToken(String t) {
        this.token = t;
        return this;
    }

    record Reply(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /** Imports a generated tiny model under {@code name} through the API; fails the test unless it is created. */
    void importTiny(Path dir, String name) {
        Reply r = post("/api/models/import", "{\"path\": \"" + dev.paddock.testing.TestModels.tiny(dir, name.replace(':', '-') + ".gguf")
                + "\", \"name\": \"" + name + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("import of " + name + " answered " + r.status() + ": " + r.body());
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    /**
     * A POST; a body over 1 MiB waits for the server's 100 Continue, as curl's does: a server that refuses it (413) answers
     * before reading it, and a client still writing it might otherwise lose that answer to the connection's close.
     */
    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .expectContinue(json.length() > 1 << 20).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply send(HttpRequest.Builder b) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A request written by hand on a socket, for the headers java.net.http will not set (Host): the
     * status line's code and the body.
     */
    Reply raw(String method, String path, Map<String, String> headers, String body) {
        return raw(method, path, headers, body, body == null ? -1 : body.getBytes(StandardCharsets.UTF_8).length);
    }

    /**
     * A request whose body is cut short: {@code length} bytes announced, the body's bytes sent, then the client's side of
     * the connection closed (as a client that dies mid-request).
     */
    Reply rawCut(String method, String path, String body, int length) {
        return raw(method, path, Map.of("Content-Type", "application/json"), body, length);
    }

    private Reply raw(String method, String path, Map<String, String> headers, String body, int length) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            Map<String, String> h = new java.util.LinkedHashMap<>();
            h.put("Host", "127.0.0.1:" + server.port());
            h.putAll(headers);
            h.put("Connection", "close");
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (length >= 0) {
                h.put("Content-Length", String.valueOf(length));
            }
            if (token != null) {
                h.putIfAbsent("Authorization", "Bearer " + token);
            }
            h.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            var out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            if (length > bytes.length) {
                socket.shutdownOutput();
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.split(" ", 3)[1]);
            int split = answer.indexOf("\r\n\r\n");
            Map<String, List<String>> heads = new HashMap<>();
            for (String line : answer.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    heads.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                            .add(line.substring(colon + 1).strip());
                }
            }
            return new Reply(status, answer.substring(split + 4), heads);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Server-sent events of a path until an "end" event (or the stream closes): each as {event, data}. */
    List<Map<String, String>> events(String path) throws IOException, InterruptedException {
        try (EventStream stream = stream(path)) {
            List<Map<String, String>> out = new ArrayList<>();
            Map<String, String> e;
            while ((e = stream.next()) != null) {
                out.add(e);
                if ("end".equals(e.get("event"))) {
                    break;
                }
            }
            return out;
        }
    }

    /** An open server-sent-event stream, read one event at a time as the server sends them. */
    EventStream stream(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.io.InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new EventStream(new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)));
    }

    static final class EventStream implements AutoCloseable {
        private final BufferedReader in;

        EventStream(BufferedReader in) {
            this.in = in;
        }

        /** The next event as {event, data}; null once the stream has closed. */
        Map<String, String> next() throws IOException {
            Map<String, String> current = new HashMap<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!current.isEmpty()) {
                        return current;
                    }
                } else if (line.startsWith("event:")) {
                    current.put("event", line.substring(6).strip());
                } else if (line.startsWith("data:")) {
                    current.put("data", line.substring(5).strip());
                }
            }
            return null;
        }

        /** Reads events until one satisfies {@code wanted}; fails if the stream ends first. */
        Map<String, String> until(java.util.function.Predicate<Map<String, String>> wanted) throws IOException {
            Map<String, String> e;
            while ((e = next()) != null) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            throw new AssertionError("the event stream ended without the event waited for");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    @Override
    public void close() {
        server.close();
        paddock.supervisor().loaded().forEach(r -> paddock.supervisor().stop(dev.paddock.model.ModelName.parse(r.model())));
        paddock.close();
        http.close();
    }
}
