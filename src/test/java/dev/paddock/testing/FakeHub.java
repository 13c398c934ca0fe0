package dev.paddock.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Hugging Face Hub on 127.0.0.1 answering as the Hub's API documents: {@code GET /api/models?search=} (a list of
 * model infos with the expanded fields), {@code GET /api/models/OWNER/REPO/tree/REV?recursive=true} (files with
 * their LFS oid and size, two per page, the next page in a Link header), {@code GET /OWNER/REPO/resolve/REV/PATH}
 * (a 302 to the file on a second host, a {@link FaultyFileServer}, which serves ranges). A gated repository
 * answers 401 without a token and 403 with one it does not know.
 */
public final class FakeHub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Repo(String id, Map<String, Path> files, boolean gated, String architecture, long parameters) {}

    private final HttpServer server;
    private final FaultyFileServer cdn;
    private final Map<String, Repo> repos = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private String acceptedToken;

    public FakeHub() throws IOException {
        cdn = new FaultyFileServer();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** http://127.0.0.1:PORT, for HF_ENDPOINT. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeHub repo(String id, String architecture, long parameters, Map<String, Path> files) {
        repos.put(id, new Repo(id, new LinkedHashMap<>(files), false, architecture, parameters));
        files.forEach((path, file) -> cdn.serve(id.replace('/', '_') + "_" + path.replace('/', '_'), file));
        return this;
    }

    public FakeHub gated(String id, String token, Map<String, Path> files) {
        repos.put(id, new Repo(id, new LinkedHashMap<>(files), true, "llama", 1));
        files.forEach((path, file) -> cdn.serve(id.replace('/', '_') + "_" + path.replace('/', '_'), file));
        acceptedToken = token;
        return this;
    }

    public FaultyFileServer cdn() {
        return cdn;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            requests.add(ex.getRequestMethod() + " " + path + (query.isEmpty() ? "" : "?" + query));
            if (path.equals("/api/models")) {
                search(ex, query);
                return;
            }
            for (Repo r : repos.values()) {
                if (path.startsWith("/api/models/" + r.id() + "/tree/") || path.startsWith("/" + r.id() + "/resolve/")) {
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    if (r.gated() && auth == null) {
                        send(ex, 401, "{\"error\": \"Access to model " + r.id() + " is restricted. You must have access to it and be authenticated.\"}");
                        return;
                    }
                    if (r.gated() && !auth.equals("Bearer " + acceptedToken)) {
                        send(ex, 403, "{\"error\": \"Access to model " + r.id() + " is restricted and you are not in the authorized list.\"}");
                        return;
                    }
                    if (path.contains("/tree/")) {
                        tree(ex, r, query);
                    } else {
                        String file = path.substring(path.indexOf("/resolve/") + "/resolve/".length());
                        file = java.net.URLDecoder.decode(file.substring(file.indexOf('/') + 1), StandardCharsets.UTF_8);
                        if (!r.files().containsKey(file)) {
                            send(ex, 404, "{\"error\": \"Entry not found\"}");
                            return;
                        }
                        ex.getResponseHeaders().add("Location", cdn.url(r.id().replace('/', '_') + "_" + file.replace('/', '_')));
                        ex.getResponseHeaders().add("X-Linked-Size", Long.toString(Files.size(r.files().get(file))));
                        ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256(r.files().get(file)) + "\"");
                        ex.sendResponseHeaders(302, -1);
                    }
                    return;
                }
            }
            send(ex, 404, "{\"error\": \"Repository not found\"}");
        }
    }

    private void search(HttpExchange ex, String query) throws IOException {
        String term = "";
        for (String kv : query.split("&")) {
            if (kv.startsWith("search=")) {
                term = java.net.URLDecoder.decode(kv.substring(7), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
            }
        }
        ArrayNode out = JSON.createArrayNode();
        long downloads = 100_000;
        for (Repo r : repos.values()) {
            if (r.id().toLowerCase(java.util.Locale.ROOT).contains(term)) {
                ObjectNode m = out.addObject().put("_id", Integer.toHexString(r.id().hashCode())).put("id", r.id())
                        .put("downloads", downloads).put("likes", 42).put("lastModified", "2026-11-01T10:00:00.000Z");
                if (r.gated()) {
                    m.put("gated", "manual");
                } else {
                    m.put("gated", false);
                }
                m.putObject("gguf").put("total", r.parameters()).put("architecture", r.architecture()).put("context_length", 2048);
                downloads /= 2;
            }
        }
        send(ex, 200, JSON.writeValueAsString(out));
    }

    private void tree(HttpExchange ex, Repo r, String query) throws IOException {
        int cursor = 0;
        for (String kv : query.split("&")) {
            if (kv.startsWith("cursor=")) {
                cursor = Integer.parseInt(kv.substring(7));
            }
        }
        List<Map.Entry<String, Path>> files = new ArrayList<>(r.files().entrySet());
        ArrayNode out = JSON.createArrayNode();
        out.addObject().put("type", "file").put("oid", "0123456789abcdef0123456789abcdef01234567").put("size", 1519).put("path", "README.md");
        for (int i = cursor; i < Math.min(files.size(), cursor + 2); i++) {
            Path f = files.get(i).getValue();
            ObjectNode n = out.addObject().put("type", "file").put("oid", "89abcdef0123456789abcdef0123456789abcdef")
                    .put("size", Files.size(f)).put("path", files.get(i).getKey());
            n.putObject("lfs").put("oid", sha256(f)).put("size", Files.size(f)).put("pointerSize", 135);
        }
        if (cursor + 2 < files.size()) {
            ex.getResponseHeaders().add("Link", "<" + endpoint() + "/api/models/" + r.id() + "/tree/main?recursive=true&cursor="
                    + (cursor + 2) + ">; rel=\"next\"");
        }
        send(ex, 200, JSON.writeValueAsString(out));
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    public static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        cdn.close();
    }
}
