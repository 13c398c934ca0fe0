package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivableJarsTest {
    @TempDir
    Path dir;

    /** A class file of the given version with {@code static int max(int, int)}: a branch, so Java 7+ needs a stack map. */
    private static byte[] maxClass(String name, int version) {
        return ClassFile.of().build(ClassDesc.of(name), cb -> cb.withVersion(version, 0)
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_SUPER)
                .withSuperclass(ConstantDescs.CD_Object)
                .withMethodBody("max", MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_int),
                        ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> {
                            var second = code.newLabel();
                            code.iload(0).iload(1).if_icmple(second).iload(0).ireturn();
                            code.labelBinding(second);
                            code.iload(1).ireturn();
                        }));
    }

    private Path jar(String file, Map<String, byte[]> entries) throws Exception {
        Path jar = Files.createDirectories(dir.resolve("lib")).resolve(file);
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        m.getMainAttributes().putValue("Implementation-Title", file);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    private static int majorVersion(byte[] classFile) {
        return (classFile[6] & 0xff) << 8 | (classFile[7] & 0xff);
    }

    @Test
    void aJarOfJava5ClassesGetsAJava8CopyThatBehavesTheSame() throws Exception {
        jar("old.jar", Map.of("old/Max.class", maxClass("old.Max", ClassFile.JAVA_5_VERSION), "old/data.txt", "kept".getBytes()));
        jar("new.jar", Map.of("fresh/Max.class", maxClass("fresh.Max", ClassFile.JAVA_17_VERSION)));

        List<Path> copies = ArchivableJars.upgrade(dir.resolve("lib"), dir.resolve("out"));

        assertThat(copies).containsExactly(dir.resolve("out/old.jar").toAbsolutePath());
        try (JarFile copy = new JarFile(copies.getFirst().toFile())) {
            assertThat(majorVersion(copy.getInputStream(copy.getEntry("old/Max.class")).readAllBytes())).isEqualTo(ClassFile.JAVA_8_VERSION);
            assertThat(copy.getInputStream(copy.getEntry("old/data.txt")).readAllBytes()).asString().isEqualTo("kept");
            assertThat(copy.getManifest().getMainAttributes().getValue("Implementation-Title")).isEqualTo("old.jar");
        }
        // Java 8 classes without stack maps fail verification: loading and calling it proves they were computed
        try (URLClassLoader loader = new URLClassLoader(new URL[] {copies.getFirst().toUri().toURL()}, null)) {
            Method max = Class.forName("old.Max", true, loader).getMethod("max", int.class, int.class);
            assertThat(max.invoke(null, 3, 7)).isEqualTo(7);
            assertThat(max.invoke(null, 9, 2)).isEqualTo(9);
        }
    }

    @Test
    void aSignedJarIsLeftAsItIs() throws Exception {
        jar("signed.jar", Map.of("old/Max.class", maxClass("old.Max", ClassFile.JAVA_5_VERSION), "META-INF/SIGNER.SF", "x".getBytes()));

        assertThat(ArchivableJars.upgrade(dir.resolve("lib"), dir.resolve("out"))).isEmpty();
        assertThat(dir.resolve("out/signed.jar")).doesNotExist();
    }
}
