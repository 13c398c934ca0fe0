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
 * the driver falls back to its own copy, as before.
 */
public final class SqliteNative {
    private SqliteNative() {}

    /** Before the first SQLite connection of the process; a library path chosen by the user is kept. */
    public static synchronized void useCopyIn(Path nativeDir) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            String folder = LibraryLoaderUtil.getNativeLibResourcePath();
            String name = LibraryLoaderUtil.getNativeLibName();
            Path dir = nativeDir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + folder.replaceAll("[^A-Za-z0-9_.-]+", "_"));
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib)) {
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
