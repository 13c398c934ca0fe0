package dev.paddock.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face Hub's documented HTTP API, as far as Paddock uses it: model search
 * ({@code /api/models?search=…&filter=gguf}), a repository's file tree with LFS sizes and SHA-256
 * ({@code /api/models/REPO/tree/REV?recursive=true}, paged by its Link header) and its files
 * ({@code /REPO/resolve/REV/PATH}, which redirects to a CDN). The endpoint is {@code HF_ENDPOINT} (huggingface_hub's
 * convention) or huggingface.co; {@code HF_TOKEN} is sent when set. Errors say what to do, never repeat the Hub's body.
 */
public final class HubClient implements AutoCloseable {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_PAGES = 50;

    private final String endpoint;
    private final String token;
    private final HttpClient http;

    public HubClient(Map<String, String> env) {
        String e = env.getOrDefault("HF_ENDPOINT", "").strip();
        this.endpoint = (e.isEmpty() ? DEFAULT_ENDPOINT : e).replaceAll("/+$", "");
        String t = env.get("HF_TOKEN");
        this.token = t == null || t.isBlank() ? null : t.strip();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public String endpoint() {
        return endpoint;
    }

    /** The headers a request to the Hub carries: the token, when there is one. */
    public Map<String, String> headers() {
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    /** A repository with GGUF files, as the search lists it. */
    public record Repo(String id, long downloads, long likes, String lastModified, String architecture, Long parameters,
            Long contextLength, boolean gated) {}

    /** A file of a repository: its path, size and, for LFS files, SHA-256 (null for small files kept in git). */
    public record File(String path, long size, String sha256) {}

    /** Repositories tagged gguf whose names match, most downloaded first. */
    public List<Repo> search(String term, int limit) {
        String q = "search=" + enc(term) + "&filter=gguf&sort=downloads&direction=-1&limit=" + limit
                + "&expand[]=downloads&expand[]=likes&expand[]=lastModified&expand[]=gguf&expand[]=gated";
        JsonNode list = getJson(URI.create(endpoint + "/api/models?" + q.replace("[", "%5B").replace("]", "%5D")), "the search for \"" + term + "\"").body();
        List<Repo> out = new ArrayList<>();
        for (JsonNode m : list) {
            JsonNode g = m.path("gguf");
            out.add(new Repo(m.path("id").asText(), m.path("downloads").asLong(0), m.path("likes").asLong(0),
                    m.hasNonNull("lastModified") ? m.get("lastModified").asText() : null,
                    g.hasNonNull("architecture") ? g.get("architecture").asText() : null,
                    g.path("total").canConvertToLong() && g.path("total").asLong() > 0 ? g.get("total").asLong() : null,
                    g.path("context_length").canConvertToLong() && g.path("context_length").asLong() > 0 ? g.get("context_length").asLong() : null,
                    m.path("gated").isTextual() || m.path("gated").asBoolean(false)));
        }
        return out;
    }

    /** Every file of the repository at the revision, through every page of the tree. */
    public List<File> files(String repo, String revision) {
        List<File> out = new ArrayList<>();
        URI next = URI.create(endpoint + "/api/models/" + repo + "/tree/" + enc(revision) + "?recursive=true");
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            Page p = getJson(next, repo + (revision.equals("main") ? "" : "@" + revision));
            if (!p.body().isArray()) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, "the Hub's file list of " + repo + " is not a list; is " + endpoint
                        + " a Hugging Face Hub?");
            }
            for (JsonNode f : p.body()) {
                if (!"file".equals(f.path("type").asText("file")) || !f.hasNonNull("path")) {
                    continue;
                }
                JsonNode lfs = f.path("lfs");
                String sha = lfs.path("oid").asText("");
                out.add(new File(f.get("path").asText(), lfs.path("size").asLong(f.path("size").asLong(0)),
                        sha.matches("[0-9a-f]{64}") ? sha : null));
            }
            next = p.next();
        }
        return out;
    }

    /** Where a file is downloaded from (the Hub redirects it to its CDN). */
    public URI resolveUrl(String repo, String revision, String path) {
        return URI.create(endpoint + "/" + repo + "/resolve/" + enc(revision) + "/" + encPath(path));
    }

    /** The file's first {@code bytes} bytes (fewer when it is shorter). */
    public byte[] head(String repo, String revision, String path, int bytes) {
        URI uri = resolveUrl(repo, revision, path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).header("Range", "bytes=0-" + (bytes - 1)).GET();
        headers().forEach(b::header);
        try {
            HttpResponse<InputStream> res = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                check(res.statusCode(), repo, uri);
                return in.readNBytes(bytes); // a server that ignores Range sends it all: only the start is read
            }
        } catch (IOException e) {
            throw unreachable(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while reading " + path + " from the Hub", e);
        }
    }

    private record Page(JsonNode body, URI next) {}

    private Page getJson(URI uri, String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET();
        headers().forEach(b::header);
        try {
            HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            check(res.statusCode(), what, uri);
            JsonNode body;
            try {
                body = JSON.readTree(res.body());
            } catch (IOException e) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, endpoint + " answered " + what + " with something other than JSON; is "
                        + endpoint + " a Hugging Face Hub (HF_ENDPOINT)?");
            }
            URI next = null;
            for (String link : res.headers().allValues("Link")) {
                Matcher m = NEXT.matcher(link);
                if (m.find()) {
                    next = uri.resolve(m.group(1));
                }
            }
            return new Page(body == null ? JSON.createArrayNode() : body, next);
        } catch (IOException e) {
            throw unreachable(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while asking the Hub about " + what, e);
        }
    }

    private void check(int status, String what, URI uri) {
        if (status < 300) {
            return;
        }
        throw switch (status) {
            case 401 -> new PaddockException(ErrorCode.UNAVAILABLE, what + " is gated or private: "
                    + (token == null ? "set HF_TOKEN to a token of an account that has accepted its terms on huggingface.co"
                            : "the Hub refused your HF_TOKEN (check it on huggingface.co/settings/tokens)"));
            case 403 -> new PaddockException(ErrorCode.UNAVAILABLE, what + " is gated: accept its terms on huggingface.co with the account"
                    + " of your HF_TOKEN" + (token == null ? " and set HF_TOKEN" : ""));
            case 404 -> PaddockException.notFound("the Hub has no " + what + " (check the owner, name and revision)");
            case 429 -> new PaddockException(ErrorCode.UNAVAILABLE, "the Hub is rate-limiting requests; try again later"
                    + (token == null ? " or set HF_TOKEN" : ""));
            default -> new PaddockException(ErrorCode.UNAVAILABLE, uri.getHost() + " answered " + status + " for " + what);
        };
    }

    private PaddockException unreachable(URI uri, IOException e) {
        String why = dev.paddock.error.NetworkFailure.reason(e);
        return new PaddockException(ErrorCode.UNAVAILABLE, "cannot reach the Hub at " + uri.getScheme() + "://" + uri.getAuthority()
                + " (" + why + "); check the connection" + (endpoint.equals(DEFAULT_ENDPOINT) ? "" : ", and HF_ENDPOINT, which is " + endpoint), e);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            parts.add(enc(p));
        }
        return String.join("/", parts);
    }

    @Override
    public void close() {
        http.close();
    }
}
