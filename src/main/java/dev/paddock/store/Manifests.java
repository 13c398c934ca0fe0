package dev.paddock.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paddock.error.PaddockException;
import dev.paddock.model.ModelName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/** The manifest files below {@code manifests/}: the source of truth for which names exist. */
final class Manifests {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final StoreLayout layout;
    private final Consumer<String> warnings;

    Manifests(StoreLayout layout, Consumer<String> warnings) {
        this.layout = layout;
        this.warnings = warnings;
    }

    Optional<Manifest> read(ModelName name) {
        Path file = layout.manifest(name);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), Manifest.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            warnings.accept("manifest " + file + " is unreadable (" + e.getMessage().lines().findFirst().orElse("")
                    + "); remove it with \"paddock rm " + name + "\"");
            return Optional.empty();
        }
    }

    void write(ModelName name, Manifest manifest) throws IOException {
        AtomicFile.write(layout.manifest(name), JSON.writeValueAsBytes(manifest));
    }

    boolean delete(ModelName name) throws IOException {
        Path file = layout.manifest(name);
        boolean existed = Files.deleteIfExists(file);
        Path familyDir = file.getParent();
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(familyDir)) {
            if (!rest.iterator().hasNext()) {
                Files.deleteIfExists(familyDir);
            }
        } catch (NoSuchFileException | java.nio.file.DirectoryNotEmptyException ignored) {
            // another process removed or refilled the folder meanwhile
        }
        return existed;
    }

    /** Every valid manifest, by name; files that are not manifests are reported and skipped. */
    Map<ModelName, Manifest> all() {
        Map<ModelName, Manifest> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        Path root = layout.manifests();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> families = Files.newDirectoryStream(root)) {
            for (Path family : families) {
                if (!Files.isDirectory(family)) {
                    continue;
                }
                try (DirectoryStream<Path> tags = Files.newDirectoryStream(family)) {
                    for (Path tag : tags) {
                        String fileName = tag.getFileName().toString();
                        if (fileName.startsWith(".")) {
                            continue; // a temp file of a write in progress
                        }
                        String text = family.getFileName() + ":" + fileName;
                        if (!ModelName.isValid(text)) {
                            warnings.accept("ignoring " + tag + ": not a valid model name");
                            continue;
                        }
                        ModelName name = ModelName.parse(text);
                        read(name).ifPresent(m -> out.put(name, m));
                    }
                }
            }
        } catch (IOException e) {
            throw PaddockException.storage("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }
}
