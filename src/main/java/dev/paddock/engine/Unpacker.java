package dev.paddock.engine;

import dev.paddock.error.PaddockException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/**
 * Unpacks tarballs and zip archives of engines into a folder, refusing entries that would land outside it
 * (absolute paths, {@code ..}) and links: an archive from the network writes nowhere else.
 */
final class Unpacker {
    private static final long MAX_BYTES = 8L << 30;

    private Unpacker() {}

    static boolean isArchive(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".tar.gz") || n.endsWith(".tgz") || n.endsWith(".zip") || n.endsWith(".tar");
    }

    /** Unpacks every entry into {@code into}. */
    static void unpack(Path archive, Path into) {
        extract(archive, into, null);
    }

    /** Unpacks the one entry at {@code path} (e.g. {@code package/llama/gitRelease.bundle}) to {@code target}; false if absent. */
    static boolean extractOne(Path archive, String path, Path target) {
        return extract(archive, target, path);
    }

    private static boolean extract(Path archive, Path into, String only) {
        boolean found = false;
        long written = 0;
        java.util.Map<Path, Path> links = new java.util.LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive)); ArchiveInputStream<?> in = open(archive, raw)) {
            ArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName().replace('\\', '/');
                if (only != null) {
                    if (name.equals(only) && !e.isDirectory()) {
                        Files.createDirectories(into.getParent());
                        Files.copy(in, into, StandardCopyOption.REPLACE_EXISTING);
                        return true;
                    }
                    continue;
                }
                Path target = into.resolve(name).normalize();
                if (isLink(e)) { // release archives link libfoo.so → libfoo.so.1: copied as real files once all are out
                    Path to = linkTarget(e, in, target, into);
                    if (to.startsWith(into) && target.startsWith(into)) {
                        links.put(target, to);
                    }
                    continue;
                }
                if (name.startsWith("/") || !target.startsWith(into) || target.equals(into) && !e.isDirectory()) {
                    throw PaddockException.invalidInput(archive.getFileName() + " has an entry that points outside its folder ("
                            + name + "); it was not unpacked");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                written += Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                if (written > MAX_BYTES) {
                    throw PaddockException.invalidInput(archive.getFileName() + " unpacks to more than 8 GiB; it is not an engine archive");
                }
                if (executable(e)) {
                    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(target));
                    perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
                    Files.setPosixFilePermissions(target, perms);
                }
                found = true;
            }
            for (int round = 0; round < 4; round++) { // a link to a link resolves in a later round
                for (var l : java.util.List.copyOf(links.entrySet())) {
                    if (Files.isRegularFile(l.getValue())) {
                        Files.createDirectories(l.getKey().getParent());
                        Files.copy(l.getValue(), l.getKey(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                        links.remove(l.getKey());
                    }
                }
            }
            return found;
        } catch (IOException | IllegalArgumentException e) {
            throw PaddockException.invalidInput(archive.getFileName() + " is not a readable archive (" + e.getMessage()
                    + "); download it again or give another source");
        }
    }

    private static ArchiveInputStream<?> open(Path archive, InputStream raw) throws IOException {
        String n = archive.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".zip")) {
            return new ZipArchiveInputStream(raw);
        }
        return new TarArchiveInputStream(n.endsWith(".tar") ? raw : new GZIPInputStream(raw));
    }

    private static boolean isLink(ArchiveEntry e) {
        if (e instanceof TarArchiveEntry t) {
            return t.isSymbolicLink() || t.isLink();
        }
        return e instanceof ZipArchiveEntry z && z.isUnixSymlink();
    }

    private static Path linkTarget(ArchiveEntry e, InputStream in, Path at, Path into) throws IOException {
        String to = e instanceof TarArchiveEntry t ? t.getLinkName()
                : new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
        if (e instanceof TarArchiveEntry t && t.isLink()) {
            return into.resolve(to).normalize(); // a hard link names a path from the archive's top
        }
        return at.resolveSibling(to).normalize();
    }

    private static boolean executable(ArchiveEntry e) {
        if (e instanceof TarArchiveEntry t) {
            return (t.getMode() & 0111) != 0;
        }
        if (e instanceof ZipArchiveEntry z) {
            return (z.getUnixMode() & 0111) != 0 || z.getName().endsWith("llama-server") || z.getName().endsWith("llama-bench");
        }
        return false;
    }
}
