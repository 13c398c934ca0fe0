package dev.paddock.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.NetworkFailure;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Fetches what an engine is built from with Paddock's own HTTP client (no npm): the npm registry's metadata
 * for a package version, then its tarball, checked against the published integrity hash (SRI, sha512) before
 * any byte of it is used. Downloads are kept in the cache folder, and checked again each time they are reused.
 */
final class SourceFetch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI npmRegistry;
    private final Path downloads;
    private HttpClient http;

    SourceFetch(URI npmRegistry, Path cacheDir) {
        this.npmRegistry = npmRegistry;
        this.downloads = cacheDir.resolve("downloads");
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return http;
    }

    /** The package tarball, verified: from the cache when a verified copy is there. */
    Path npmTarball(EngineSource.Npm source, InstallProgress progress) {
        String integrity = source.integrity();
        Path target = downloads.resolve(safeName(source.packageName() + "-" + source.version() + ".tgz"));
        if (integrity != null && Files.isRegularFile(target) && integrityMatches(target, integrity)) {
            return target; // the pinned hash vouches for the cached copy: no need to ask the registry
        }
        URI tarball;
        URI meta = npmRegistry.resolve(source.packageName().replace("/", "%2F") + "/" + source.version());
        JsonNode dist = getJson(meta, source.describe()).path("dist");
        if (!dist.hasNonNull("tarball") || !dist.hasNonNull("integrity")) {
            throw PaddockException.invalidInput("the npm registry " + npmRegistry + " lists no tarball with an integrity hash for "
                    + source.describe() + "; check the package and version");
        }
        tarball = URI.create(dist.get("tarball").asText());
        if (integrity == null) {
            integrity = dist.get("integrity").asText();
        } else if (!integrity.equals(dist.get("integrity").asText())) {
            throw PaddockException.invalidInput("the npm registry " + npmRegistry + " publishes a different integrity hash for "
                    + source.describe() + " than the one Paddock pins; nothing was downloaded (a mirror that changed the package?)");
        }
        String expected = integrity;
        if (Files.isRegularFile(target) && integrityMatches(target, expected)) {
            return target;
        }
        download(tarball, target, progress, file -> {
            if (!integrityMatches(file, expected)) {
                throw PaddockException.invalidInput("the tarball of " + source.describe() + " from " + tarball.getHost()
                        + " does not match the registry's integrity hash; it was deleted and nothing was installed");
            }
        });
        return target;
    }

    /** A file at a URL, kept in the cache under its digest when one is given (and checked), else fetched anew. */
    Path url(String location, String sha256, InstallProgress progress) {
        URI uri = URI.create(location);
        String name = Path.of(uri.getPath().isEmpty() ? "/download" : uri.getPath()).getFileName().toString();
        Path target = downloads.resolve(safeName((sha256 == null ? "unverified-" : sha256.substring(0, 16) + "-") + name));
        if (sha256 != null && Files.isRegularFile(target) && sha256.equals(sha256(target))) {
            return target;
        }
        download(uri, target, progress, file -> {
            if (sha256 != null && !sha256.equals(sha256(file))) {
                throw PaddockException.invalidInput("the file at " + location + " does not have SHA-256 " + sha256
                        + "; it was deleted and nothing was installed");
            }
        });
        return target;
    }

    private interface Check {
        void verify(Path file);
    }

    private void download(URI uri, Path target, InstallProgress progress, Check check) {
        Path part = target.resolveSibling(target.getFileName() + ".part-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(downloads);
            HttpResponse<InputStream> res = http().send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                if (res.statusCode() != 200) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, uri.getHost() + " answered HTTP " + res.statusCode()
                            + " for " + uri + "; check the address, or try again later");
                }
                long total = res.headers().firstValueAsLong("Content-Length").orElse(0);
                try (OutputStream out = Files.newOutputStream(part)) {
                    byte[] buf = new byte[1 << 16];
                    long done = 0;
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        out.write(buf, 0, n);
                        done += n;
                        progress.update("downloading", done, total);
                    }
                }
            }
            check.verify(part);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "cannot download " + uri + ": " + NetworkFailure.reason(e)
                    + "; check the network and try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while downloading " + uri, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a leftover part file; the next download replaces it
            }
        }
    }

    private JsonNode getJson(URI uri, String what) {
        try {
            HttpResponse<byte[]> res = http().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() == 404) {
                throw PaddockException.notFound("the npm registry " + npmRegistry + " has no " + what + "; check the package and version");
            }
            if (res.statusCode() != 200) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, "the npm registry " + npmRegistry + " answered HTTP " + res.statusCode()
                        + " for " + what + "; try again later");
            }
            return JSON.readTree(res.body());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the npm registry " + npmRegistry + " did not answer with JSON for " + what, e);
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "cannot reach the npm registry " + npmRegistry + ": " + NetworkFailure.reason(e)
                    + "; check the network (setting engine.npm_registry names a mirror)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while asking the npm registry", e);
        }
    }

    /** Whether the file matches an SRI string such as {@code sha512-BASE64} (several, space-separated, may be given). */
    static boolean integrityMatches(Path file, String sri) {
        for (String one : sri.strip().split("\\s+")) {
            int dash = one.indexOf('-');
            if (dash < 0) {
                continue;
            }
            String algorithm = switch (one.substring(0, dash)) {
                case "sha512" -> "SHA-512";
                case "sha384" -> "SHA-384";
                case "sha256" -> "SHA-256";
                default -> null;
            };
            if (algorithm != null && Base64.getEncoder().encodeToString(digest(file, algorithm)).equals(one.substring(dash + 1))) {
                return true;
            }
        }
        return false;
    }

    static String sha256(Path file) {
        return HexFormat.of().formatHex(digest(file, "SHA-256"));
    }

    private static byte[] digest(Path file, String algorithm) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (IOException e) {
            throw PaddockException.storage("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    synchronized void close() {
        if (http != null) {
            http.shutdownNow();
        }
    }
}
