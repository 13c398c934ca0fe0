package dev.paddock.download;

import dev.paddock.catalog.Catalog;
import dev.paddock.catalog.CatalogEntry;
import dev.paddock.error.PaddockException;
import dev.paddock.model.ModelName;
import dev.paddock.model.Suggestion;
import dev.paddock.store.DefaultName;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubModels;
import dev.paddock.hub.HubRef;
import dev.paddock.hub.QuantChoice;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code paddock pull X} means: a catalog name, an {@code https://} URL, or a Hugging Face repository:
 * {@code hf://owner/repo[@revision][:QUANT]} or {@code hf://owner/repo[@revision]/path/file.gguf} (the Hub at
 * HF_ENDPOINT, with HF_TOKEN sent when set).
 */
public record PullSource(String requested, URI url, Map<String, String> headers, String expectedSha256, Long expectedSize,
        ModelName defaultName, List<Part> parts, Part projector) {

    /** One file of a split GGUF, with the size and SHA-256 its host states. */
    public record Part(URI url, String sha256, Long sizeBytes) {}

    public PullSource {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    public PullSource(String requested, URI url, Map<String, String> headers, String expectedSha256, Long expectedSize,
            ModelName defaultName) {
        this(requested, url, headers, expectedSha256, expectedSize, defaultName, List.of(), null);
    }

    /** The same pull without the multimodal projector ({@code --no-mmproj}). */
    public PullSource withoutProjector() {
        return new PullSource(requested, url, headers, expectedSha256, expectedSize, defaultName, parts, null);
    }

    /** Whether this is a split GGUF: its parts are downloaded, each verified, then merged into one model. */
    public boolean split() {
        return !parts.isEmpty();
    }

    public static PullSource resolve(String what, Catalog catalog, Map<String, String> env) {
        return resolve(what, catalog, env, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** @param scratch where a repository's header is read, for the fit of its quantisations */
    public static PullSource resolve(String what, Catalog catalog, Map<String, String> env, Path scratch) {
        String w = what.strip();
        if (w.startsWith("hf://")) {
            return huggingFace(w, env, scratch);
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
        PullSource s = e.url().startsWith("hf://") ? huggingFace(e.url(), env, scratch) : new PullSource(w, url(e.url()),
                Map.of(), null, null, null);
        return new PullSource(w, s.url(), s.headers(), e.sha256() != null ? e.sha256() : s.expectedSha256(),
                e.sizeBytes() != null ? e.sizeBytes() : s.expectedSize(), ModelName.parse(e.name()), s.parts(), s.projector());
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

    /**
     * {@code hf://OWNER/REPO[@REV]/PATH/FILE.gguf} is that file; {@code hf://OWNER/REPO[@REV][:QUANT]} the
     * quantisation named, or the largest that fits this machine, with the size and SHA-256 the Hub's LFS
     * metadata gives, which the pull verifies.
     */
    private static PullSource huggingFace(String text, Map<String, String> env, Path scratch) {
        HubRef ref = HubRef.parse(text.substring("hf://".length()));
        try (HubClient hub = new HubClient(env)) {
            if (ref.path() != null) {
                URI uri = url(hub.resolveUrl(ref.repo(), ref.revision(), ref.path()).toString());
                return new PullSource(text, uri, hub.headers(), null, null, fromUrl(uri));
            }
            QuantChoice c = new HubModels(hub, scratch).pick(ref, SystemMemory.detect(), CpuTopology.detect());
            HubClient.File f = c.parts().getFirst();
            Part projector = c.projector() == null ? null : new Part(url(hub.resolveUrl(ref.repo(), ref.revision(), c.projector().path())
                    .toString()), c.projector().sha256(), c.projector().size() > 0 ? c.projector().size() : null);
            if (c.split()) {
                List<Part> parts = c.parts().stream().map(p -> new Part(url(hub.resolveUrl(ref.repo(), ref.revision(), p.path()).toString()),
                        p.sha256(), p.size() > 0 ? p.size() : null)).toList();
                URI first = parts.getFirst().url();
                String stem = f.path().substring(f.path().lastIndexOf('/') + 1).replaceFirst("(?i)-\\d{5}-of-\\d{5}\\.gguf$", ".gguf");
                return new PullSource(text, first, hub.headers(), null, c.size(), DefaultName.fromFileName(stem), parts, projector);
            }
            URI uri = url(hub.resolveUrl(ref.repo(), ref.revision(), f.path()).toString());
            return new PullSource(text, uri, hub.headers(), f.sha256(), f.size() > 0 ? f.size() : null, fromUrl(uri), List.of(), projector);
        }
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
