package dev.paddock.engine;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A real HTTP server on loopback that answers as the npm registry does: {@code GET /PACKAGE/VERSION} gives
 * the version's metadata with {@code dist.tarball} and {@code dist.integrity} (SRI sha512), and the tarball's
 * own URL gives its bytes — which a test may make differ from what the integrity promises.
 */
final class NpmRegistryServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requested = new CopyOnWriteArrayList<>();

    NpmRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            try (ex) {
                requested.add(ex.getRequestURI().getPath());
                byte[] body = files.get(ex.getRequestURI().getPath());
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Publishes PACKAGE@VERSION with the integrity of {@code published}, serving {@code served} as its tarball. */
    void publish(String pkg, String version, byte[] published, byte[] served) {
        publish(pkg, version, sri(published), served);
    }

    void publish(String pkg, String version, String integrity, byte[] served) {
        String tarball = "/" + pkg + "/-/" + pkg + "-" + version + ".tgz";
        files.put(tarball, served);
        files.put("/" + pkg + "/" + version, ("{\"name\":\"" + pkg + "\",\"version\":\"" + version + "\",\"dist\":{\"tarball\":\""
                + uri().resolve(tarball.substring(1)) + "\",\"integrity\":\"" + integrity + "\"}}").getBytes(StandardCharsets.UTF_8));
    }

    static String sri(byte[] bytes) {
        try {
            return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gzipped tarball holding the given files (path → content). */
    static byte[] tarball(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                entry.setMode(e.getKey().endsWith("llama-server") ? 0755 : 0644);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
