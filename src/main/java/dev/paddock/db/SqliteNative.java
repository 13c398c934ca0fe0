package dev.paddock.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc copies its native library out of its jar into the temp folder on every start, a quarter of
 * an everyday command's time; Paddock copies it once into {@code native/sqlite-VERSION-PLATFORM/} of its home
 * (atomically, so a crash leaves no half-written library) and points the driver there. Whatever fails here,
 * the driver falls back to its own copy, as before. The folder is named after the JVM's OS and architecture
 * rather than the driver's platform name: working that out runs {@code uname -o} (to tell Android from
 * Linux), which costs more than the library's load, so it is done once, when the copy is made.
 */
public final class SqliteNative {
    private SqliteNative() {}

    /** Before the first SQLite connection of the process; a library path chosen by the user is kept. */
    public static synchronized void useCopyIn(Path nativeDir) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            String name = LibraryLoaderUtil.getNativeLibName();
            String platform = System.getProperty("os.name") + "-" + System.getProperty("os.arch");
            Path dir = nativeDir.resolve(("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + platform).replaceAll("[^A-Za-z0-9_.-]+", "_"));
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib)) {
                String folder = LibraryLoaderUtil.getNativeLibResourcePath();
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(folder + "/" + name)) {
                    if (in == null) {
                        return; // no bundled library for this platform: the driver decides
                    }
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, name, ".part");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | RuntimeException e) {
            // a read-only home, say: the driver extracts the library to the temp folder itself
        }
    }
}
