package dev.paddock.server;

import dev.paddock.error.PaddockException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Files of a browser library from its webjar on the class path (Swagger UI, uPlot), served by name from a fixed list:
 * nothing is fetched from the internet, and no path a client sends reaches the class loader.
 */
final class Webjar {
    private final String what;
    private final String root;
    private final Map<String, String> files;

    /**
     * @param group the webjar's Maven group ({@code org.webjars}, {@code org.webjars.npm})
     * @param dir the folder under the version that holds the files ("" or {@code dist/})
     * @param files each file served, with its content type
     */
    Webjar(String group, String artifact, String dir, Map<String, String> files) {
        this.what = artifact;
        this.root = "/META-INF/resources/webjars/" + artifact + "/" + version(group, artifact) + "/" + dir;
        this.files = Map.copyOf(files);
    }

    void serve(Context ctx) {
        String name = ctx.pathParam("file");
        String type = files.get(name);
        if (type == null) {
            throw PaddockException.notFound("no file " + name + " of " + what + " is served here");
        }
        try (InputStream in = Webjar.class.getResourceAsStream(root + name)) {
            if (in == null) {
                throw PaddockException.notFound("no file " + name + " of " + what + " is served here");
            }
            ctx.contentType(type).header("Cache-Control", "max-age=86400").result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webjar's own version, from its Maven metadata, so an upgrade of the dependency needs no change here. */
    private static String version(String group, String artifact) {
        try (InputStream in = Webjar.class.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the " + artifact + " webjar is missing from the class path", e);
        }
    }
}
