package dev.paddock.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * For the launcher's class-data archive: the JVM never archives class files older than Java 6 ("old class
 * has been linked"), so a library compiled for Java 5 (picocli: ~170 classes on every command) is parsed and
 * checked by the old type-inferring verifier on each start, the largest single part of an everyday command's
 * time. This writes a copy of each such jar whose class files are Java 8 ones, with stack maps computed by the
 * JDK's class-file API; the code itself is unchanged. A jar that is signed, or whose code cannot be rewritten
 * (old subroutine instructions), is left out and used as it is.
 *
 * <p>{@code java -cp paddock.jar dev.paddock.cli.ArchivableJars LIB_DIR OUT_DIR} prints the copies' class path
 * (to put before the jar), empty when none was needed.
 */
public final class ArchivableJars {
    /** Java 6: the first version the JVM archives (and whose classes carry stack maps). */
    private static final int FIRST_ARCHIVED = ClassFile.JAVA_6_VERSION;

    private ArchivableJars() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ArchivableJars LIB_DIR OUT_DIR");
            System.exit(2);
        }
        System.out.println(String.join(java.io.File.pathSeparator, upgrade(Path.of(args[0]), Path.of(args[1])).stream().map(Path::toString).toList()));
    }

    /** The rewritten copies, in the order of the jars' names. */
    static List<Path> upgrade(Path libDir, Path outDir) throws IOException {
        List<Path> jars;
        try (Stream<Path> s = Files.list(libDir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        Files.createDirectories(outDir);
        List<Path> copies = new ArrayList<>();
        for (Path jar : jars) {
            if (needsUpgrade(jar)) {
                Path copy = outDir.resolve(jar.getFileName());
                if (rewrite(jar, copy)) {
                    copies.add(copy.toAbsolutePath());
                }
            }
        }
        return copies;
    }

    /** Whether the jar holds a class older than Java 6 and is not signed (a rewritten class would break its signature). */
    static boolean needsUpgrade(Path jar) throws IOException {
        boolean old = false;
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (var en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                if (name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC"))) {
                    return false;
                }
                if (!old && isPlainClass(name)) {
                    try (InputStream in = z.getInputStream(e)) {
                        byte[] head = in.readNBytes(8);
                        old = head.length == 8 && ((head[6] & 0xff) << 8 | (head[7] & 0xff)) < FIRST_ARCHIVED;
                    }
                }
            }
        }
        return old;
    }

    /** Writes the copy (atomically); false, with nothing written, when some class cannot be rewritten. */
    static boolean rewrite(Path jar, Path copy) throws IOException {
        ClassFile cf;
        Path tmp = Files.createTempFile(copy.getParent(), copy.getFileName().toString(), ".part");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.ofResourceParsing(loader)
                            .orElse(ClassHierarchyResolver.defaultResolver())));
            ClassTransform version = (b, e) -> {
                if (e instanceof ClassFileVersion v && v.majorVersion() < FIRST_ARCHIVED) {
                    b.withVersion(ClassFile.JAVA_8_VERSION, 0);
                } else {
                    b.with(e);
                }
            };
            // a code transform that is not ACCEPT_ALL makes the API rebuild each method's code, with stack maps
            CodeTransform rebuild = (b, e) -> b.with(e);
            ClassTransform upgrade = version.andThen(ClassTransform.transformingMethodBodies(rebuild));
            try (JarInputStream in = new JarInputStream(Files.newInputStream(jar), false);
                    OutputStream file = Files.newOutputStream(tmp);
                    JarOutputStream out = in.getManifest() != null ? new JarOutputStream(file, in.getManifest()) : new JarOutputStream(file)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    byte[] bytes = in.readAllBytes();
                    if (isPlainClass(e.getName())) {
                        var model = cf.parse(bytes);
                        if (model.majorVersion() < FIRST_ARCHIVED) {
                            bytes = cf.transformClass(model, upgrade);
                        }
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(jar)); // a temp file is private
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default
            }
            Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return false; // code the class-file API will not write for Java 8 (jsr/ret, say): the jar stays as it is
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A class file outside META-INF (a multi-release jar's versioned classes are newer already). */
    private static boolean isPlainClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
    }
}
