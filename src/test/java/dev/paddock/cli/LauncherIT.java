package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.testing.PaddockProcess;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as users run it: ./paddock, a real process, a real home folder. */
@Tag("e2e")
class LauncherIT {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    void versionAndHelpWorkThroughTheLauncher() throws Exception {
        PaddockProcess.Result version = PaddockProcess.run(home, "--version");
        PaddockProcess.Result help = PaddockProcess.run(home, "--help");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("paddock 0.").contains("Java 2");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: paddock", "import", "demo");
        // the launcher keeps the top-level help with the jar's class-data archive: the same text a JVM prints
        var direct = PaddockProcess.run(new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar",
                PaddockProcess.repo().resolve("target/paddock.jar").toString(), "--help"));
        assertThat(help.out()).isEqualTo(direct.out());
        assertThat(PaddockProcess.run(home, "-h").out()).isEqualTo(direct.out());
        // and --version for this jar on this JDK
        var directVersion = PaddockProcess.run(new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar",
                PaddockProcess.repo().resolve("target/paddock.jar").toString(), "--version"));
        assertThat(version.out()).isEqualTo(directVersion.out());
    }

    @Test
    void verboseShowsPaddocksDiagnosticsNotTheLibrariesDebugLines() throws Exception {
        PaddockProcess.Result verbose = PaddockProcess.run(home, "--verbose", "demo"); // a fresh home: the migrations run
        Path other = files.resolve("other-home");
        PaddockProcess.Result debug = PaddockProcess.run(other, "--set", "log.level=debug", "demo");

        assertThat(verbose.exitCode()).as(verbose.err()).isZero();
        assertThat(verbose.err()).doesNotContain("org.flywaydb").doesNotContain("com.zaxxer");
        assertThat(debug.exitCode()).as(debug.err()).isZero();
        assertThat(debug.err()).contains("DEBUG org.flywaydb"); // asked for: every library's
    }

    @Test
    void commandsRunFromTheAheadOfTimeCacheWithPicocliAsJava8ClassFilesAndSayTheSameAsAPlainJvm() throws Exception {
        PaddockProcess.run(home, "demo");
        PaddockProcess.Result cached = PaddockProcess.run(home, "list", "--local", "--json");

        Path target = PaddockProcess.repo().resolve("target");
        assertThat(target.resolve("paddock.aot")).isNotEmptyFile();
        String classPath = Files.readString(target.resolve("paddock.classpath")).strip();
        List<String> entries = List.of(classPath.split(":"));
        assertThat(entries).anyMatch(p -> p.matches(".*/aot-lib/picocli-[0-9.]+\\.jar"));
        assertThat(entries.getLast()).isEqualTo(target.resolve("paddock.jar").toString());
        var plain = PaddockProcess.run(new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "--enable-native-access=ALL-UNNAMED",
                "-jar", target.resolve("paddock.jar").toString(), "--home", home.toString(), "list", "--local", "--json"));
        assertThat(cached.exitCode()).as(cached.err()).isZero();
        assertThat(cached.err()).isEmpty(); // no complaint of the JVM about its cache
        assertThat(cached.out()).contains("paddock-demo:tiny").isEqualTo(plain.out());
    }

    @Test
    void aCommandNamedAmongOptionsAndAnAliasFindTheirCommandAndATypoIsAUsageError() throws Exception {
        PaddockProcess.run(home, "demo");
        PaddockProcess.Result viaAlias = PaddockProcess.run(home, "--set", "log.level=warn", "ls", "--local");
        PaddockProcess.Result typo = PaddockProcess.run(home, "lsit");

        assertThat(viaAlias.exitCode()).as(viaAlias.err()).isZero();
        assertThat(viaAlias.out()).contains("paddock-demo:tiny");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("lsit");
        try (var libs = Files.find(home.resolve("native"), 3, (p, a) -> p.getFileName().toString().startsWith("libsqlitejdbc"))) {
            assertThat(libs.toList()).as("SQLite's library is copied once into the home, not unpacked on every start").hasSize(1);
        }
    }

    @Test
    void worksThroughAChainOfSymlinksFromAnotherFolder() throws Exception {
        Path bin = Files.createDirectories(files.resolve("bin"));
        Path first = Files.createSymbolicLink(files.resolve("paddock-link"), PaddockProcess.repo().resolve("paddock"));
        Path link = Files.createSymbolicLink(bin.resolve("paddock"), Path.of("..", "paddock-link")); // relative, to a link
        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--home", home.toString(), "--version").directory(files.toFile());

        PaddockProcess.Result r = PaddockProcess.run(pb);

        assertThat(first).isSymbolicLink();
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("paddock 0.");
    }

    @Test
    void findsAJdk25EvenWhenJavaHomeIsAnOlderOne() throws Exception {
        Path old = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        var pb = PaddockProcess.builder(home, Map.of("JAVA_HOME", old.toString()), "--version");

        PaddockProcess.Result r = PaddockProcess.run(pb);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("Java (2[5-9]|[3-9][0-9])");
    }

    @Test
    void saysWhatToInstallWhenNoJdk25Exists() throws Exception {
        var pb = PaddockProcess.builder(home, Map.of("JAVA_HOME", "/nonexistent", "PADDOCK_JDK_DIRS", "/nonexistent"),
                "--version");

        PaddockProcess.Result r = PaddockProcess.run(pb);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("needs a JDK 25 or newer", "install one");
    }

    @Test
    void aFreshHomeGoesFromDemoToListToShowToRm() throws Exception {
        assertThat(PaddockProcess.run(home, "demo").out()).startsWith("created paddock-demo:tiny");
        Path file = TestModels.tiny(files, "mine.gguf");
        assertThat(PaddockProcess.run(home, "import", file.toString(), "--name", "mine").exitCode()).isZero();

        JsonNode list = new ObjectMapper().readTree(PaddockProcess.run(home, "list", "--json").out());
        assertThat(list.findValuesAsText("name")).containsExactly("mine:latest", "paddock-demo:tiny");

        PaddockProcess.Result show = PaddockProcess.run(home, "show", "mine");
        assertThat(show.out()).contains("llama", "854K");

        PaddockProcess.Result rm = PaddockProcess.run(home, "rm", "mine", "paddock-demo:tiny");
        assertThat(rm.exitCode()).isZero();
        try (var blobs = Files.list(home.resolve("blobs"))) {
            assertThat(blobs).isEmpty();
        }
    }

    @Test
    void errorsAreOneLineWithTheRightExitCode() throws Exception {
        Path text = Files.writeString(files.resolve("notes.txt"), "hello");

        PaddockProcess.Result notGguf = PaddockProcess.run(home, "import", text.toString());
        PaddockProcess.Result usage = PaddockProcess.run(home, "list", "--nope");

        assertThat(notGguf.exitCode()).isEqualTo(1);
        assertThat(notGguf.err().strip()).isEqualTo("error: not a GGUF file: " + text + " (it is text, not a model)");
        assertThat(usage.exitCode()).isEqualTo(2);
    }
}
