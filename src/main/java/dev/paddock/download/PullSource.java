package dev.paddock.download;

import dev.paddock.catalog.Catalog;
import dev.paddock.catalog.CatalogEntry;
import dev.paddock.error.PaddockException;
import dev.paddock.model.ModelName;
import dev.paddock.model.Suggestion;
import dev.paddock.store.DefaultName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code paddock pull X} means: a catalog name, an {@code https://} URL, or
 * {@code hf://owner/repo[@revision]/path/file.gguf} (Hugging Face's resolve URL, with HF_TOKEN sent when set).
 */
public record PullSource(String requested, URI url, Map<String, String> headers, String expectedSha256, Long expectedSize,
        ModelName defaultName) {

    public static PullSource resolve(String what, Catalog catalog, Map<String, String> env) {
        String w = what.strip();
        if (w.startsWith("hf://")) {
            return huggingFace(w, env);
        }
        if (w.contains("://")) {
            URI uri = url(w);
            return new PullSource(w, uri, Map.of(), null, null, fromUrl(uri));
        }
        CatalogEntry e = catalog.find(w).orElseThrow(() -> {
            String hint = Suggestion.closest(w, catalog.names()).map(s -> "; did you mean \"" + s + "\"?")
                    .orElse("; \"paddock catalog\" lists what can be pulled, or give an https:// or hf:// URL");
            return PaddockException.notFound("\"" + w + "\" is not in the catalog" + hint);
        });
        PullSource s = e.url().startsWith("hf://") ? huggingFace(e.url(), env) : new PullSource(w, url(e.url()),
                Map.of(), null, null, null);
        return new PullSource(w, s.url(), s.headers(), e.sha256(), e.sizeBytes(), ModelName.parse(e.name()));
    }

    static URI url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw PaddockException.invalidInput("invalid URL \"" + text + "\": " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw PaddockException.invalidInput("unsupported URL \"" + text + "\": Paddock pulls https://, http:// and hf:// URLs");
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
            throw PaddockException.invalidInput("invalid URL \"" + text + "\": it needs a host and a file path");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535 || (uri.getPort() < 0 && uri.getRawAuthority().matches(".*:\\d+$"))) {
            throw PaddockException.invalidInput("invalid URL \"" + text + "\": the port must be from 1 to 65535");
        }
        return uri;
    }

    private static PullSource huggingFace(String text, Map<String, String> env) {
        String rest = text.substring("hf://".length());
        String[] parts = rest.split("/", 3);
        if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty() || rest.contains("..")) {
            throw PaddockException.invalidInput("invalid Hugging Face reference \"" + text
                    + "\": use hf://OWNER/REPO/PATH/FILE.gguf (or hf://OWNER/REPO@REVISION/FILE.gguf)");
        }
        String repo = parts[1];
        String revision = "main";
        int at = repo.indexOf('@');
        if (at > 0) {
            revision = repo.substring(at + 1);
            repo = repo.substring(0, at);
        }
        URI uri = url("https://huggingface.co/" + parts[0] + "/" + repo + "/resolve/" + revision + "/" + parts[2]);
        Map<String, String> headers = new LinkedHashMap<>();
        String token = env.get("HF_TOKEN");
        if (token != null && !token.isBlank()) {
            headers.put("Authorization", "Bearer " + token.strip());
        }
        return new PullSource(text, uri, headers, null, null, fromUrl(uri));
    }

    private static ModelName fromUrl(URI uri) {
        String path = uri.getPath();
        return DefaultName.fromFileName(path.substring(path.lastIndexOf('/') + 1));
    }

    /** Where the request should go, for messages: the URL without its query (which may hold a signature). */
    public String displayUrl() {
        String s = url.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }
}
