package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies point inward, and vendor types stay in the one package that adapts them. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/paddock");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

    /** Vendor package prefix → the only Paddock package allowed to import it. */
    private static final Map<String, String> VENDORS = Map.of(
            "de.kherud.llama", "runner",
            "oshi", "hardware",
            "io.javalin", "server",
            "picocli", "cli",
            "org.flywaydb", "db",
            "org.sqlite", "db",
            "org.postgresql", "db",
            "com.zaxxer.hikari", "db");

    private static final List<String> EDGES = List.of("cli", "server", "app");

    @Test
    void featurePackagesNeverImportTheCliTheServerOrTheCompositionRoot() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = packageOf(file);
            if (EDGES.contains(pkg)) {
                continue;
            }
            for (String imported : imports(file)) {
                for (String edge : EDGES) {
                    if (imported.startsWith("dev.paddock." + edge)) {
                        violations.add(file + " imports " + imported);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void vendorTypesStayInTheirAdapterPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = packageOf(file);
            for (String imported : imports(file)) {
                VENDORS.forEach((vendor, owner) -> {
                    if (imported.startsWith(vendor) && !pkg.equals(owner)) {
                        violations.add(file + " imports " + imported + " (only " + owner + " may)");
                    }
                });
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void noDumpingGroundNames() throws IOException {
        assertThat(sources()).noneMatch(f -> f.getFileName().toString().matches(".*(Util|Utils|Helper|Manager|Impl)\\.java"));
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    /** The feature package: the first folder below dev/paddock. */
    private static String packageOf(Path file) {
        return MAIN.relativize(file).getName(0).toString();
    }

    private static List<String> imports(Path file) throws IOException {
        Matcher m = IMPORT.matcher(Files.readString(file));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
