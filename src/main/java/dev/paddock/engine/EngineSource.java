package dev.paddock.engine;

import dev.paddock.error.PaddockException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where an engine comes from, as {@code paddock engine install [SOURCE]} names it. */
public sealed interface EngineSource {
    /** The pinned release: the llama.cpp source node-llama-cpp 3.22.1 carries (commit de3ff81, 2026-09-28). */
    String PINNED_PACKAGE = "node-llama-cpp";
    String PINNED_VERSION = "3.22.1";
    /** The npm registry's published integrity of the pinned tarball: a tampered mirror is refused. */
    String PINNED_INTEGRITY = "sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw==";

    /** What the user sees in {@code engine list}. */
    String describe();

    /** An npm package that carries llama.cpp's source as {@code llama/gitRelease.bundle}; integrity null: the registry's. */
    record Npm(String packageName, String version, String integrity) implements EngineSource {
        @Override
        public String describe() {
            return "npm:" + packageName + "@" + version;
        }
    }

    /** A llama.cpp source folder on this machine, built out of tree (the folder is not written). */
    record SourceFolder(Path folder) implements EngineSource {
        @Override
        public String describe() {
            return folder.toString();
        }
    }

    /** A file or URL: a source tarball, a release archive with a llama-server inside, or a llama-server binary. */
    record Archive(String location, String sha256) implements EngineSource {
        boolean remote() {
            return location.startsWith("https://") || location.startsWith("http://");
        }

        @Override
        public String describe() {
            return location;
        }
    }

    Pattern NPM = Pattern.compile("npm:((?:@[a-z0-9._-]+/)?[a-z0-9._-]+)@([0-9A-Za-z.+-]+)");

    /** Parses SOURCE; null or blank is the pinned release. */
    static EngineSource parse(String spec, String sha256) {
        String digest = sha256 == null || sha256.isBlank() ? null : sha256.strip().toLowerCase(Locale.ROOT);
        if (digest != null && !digest.matches("[0-9a-f]{64}")) {
            throw PaddockException.invalidInput("--sha256 must be 64 hexadecimal digits, not \"" + sha256 + "\"");
        }
        if (spec == null || spec.isBlank()) {
            return new Npm(PINNED_PACKAGE, PINNED_VERSION, PINNED_INTEGRITY);
        }
        String s = spec.strip();
        Matcher npm = NPM.matcher(s);
        if (npm.matches()) {
            boolean pinned = npm.group(1).equals(PINNED_PACKAGE) && npm.group(2).equals(PINNED_VERSION);
            return new Npm(npm.group(1), npm.group(2), pinned ? PINNED_INTEGRITY : null);
        }
        if (s.startsWith("npm:")) {
            throw PaddockException.invalidInput("\"" + s + "\" is not an npm source; write npm:PACKAGE@VERSION, e.g. npm:"
                    + PINNED_PACKAGE + "@" + PINNED_VERSION);
        }
        if (s.contains("://")) {
            URI uri;
            try {
                uri = URI.create(s);
            } catch (IllegalArgumentException e) {
                throw PaddockException.invalidInput("\"" + s + "\" is not a URL: " + e.getMessage());
            }
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw PaddockException.invalidInput("an engine URL must be http:// or https:// with a host, not \"" + s + "\"");
            }
            return new Archive(s, digest);
        }
        Path p = Path.of(s).toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            if (!Files.isRegularFile(p.resolve("CMakeLists.txt")) || !Files.isDirectory(p.resolve("tools").resolve("server"))) {
                throw PaddockException.invalidInput(p + " is not a llama.cpp source folder (no CMakeLists.txt and tools/server);"
                        + " give the folder of a llama.cpp checkout, a release archive or a llama-server binary");
            }
            return new SourceFolder(p);
        }
        if (!Files.isRegularFile(p)) {
            throw PaddockException.notFound("no file or folder " + p + "; give a llama.cpp source folder, a source tarball, a"
                    + " release archive or a llama-server binary, or nothing for the pinned release");
        }
        return new Archive(p.toString(), digest);
    }
}
