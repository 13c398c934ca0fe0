package dev.paddock.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    private static final JsonFactory STREAMS = new JsonFactory();

    private final StoreLayout layout;
    private final Consumer<String> warnings;

    Manifests(StoreLayout layout, Consumer<String> warnings) {
        this.layout = layout;
        this.warnings = warnings;
    }

    Optional<Manifest> read(ModelName name) {
        Path file = layout.manifest(name);
        try {
            return Optional.of(parse(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            warnings.accept("manifest " + file + " is unreadable (" + e.getMessage().lines().findFirst().orElse("")
                    + "); remove it with \"paddock rm " + name + "\"");
            return Optional.empty();
        }
    }

    /**
     * A manifest read with Jackson's streaming parser: the fields are few and flat, and a command that lists
     * models should not pay for the data-binding machinery's start-up (about 50 ms).
     */
    static Manifest parse(byte[] json) throws IOException {
        Integer schema = null;
        String name = null;
        String digest = null;
        Long size = null;
        String format = null;
        String source = null;
        String added = null;
        Manifest.Link linked = null;
        Manifest.Projector projector = null;
        try (JsonParser p = STREAMS.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "schemaVersion" -> schema = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
                    case "name" -> name = text(p, v);
                    case "digest" -> digest = text(p, v);
                    case "sizeBytes" -> size = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "format" -> format = text(p, v);
                    case "source" -> source = text(p, v);
                    case "addedAt" -> added = text(p, v);
                    case "linked" -> linked = v == JsonToken.START_OBJECT ? link(p) : null;
                    case "projector" -> projector = v == JsonToken.START_OBJECT ? projector(p) : null;
                    default -> p.skipChildren();
                }
            }
        }
        if (schema == null || name == null || digest == null || size == null) {
            throw new IOException("schemaVersion, name, digest and sizeBytes are required");
        }
        return new Manifest(schema, name, digest, size, format, source, added, linked, projector);
    }

    private static Manifest.Projector projector(JsonParser p) throws IOException {
        String digest = null;
        Long size = null;
        String source = null;
        Manifest.Link linked = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "digest" -> digest = text(p, v);
                case "sizeBytes" -> size = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case "source" -> source = text(p, v);
                case "linked" -> linked = v == JsonToken.START_OBJECT ? link(p) : null;
                default -> p.skipChildren();
            }
        }
        if (digest == null || size == null) {
            throw new IOException("\"projector\" needs digest and sizeBytes");
        }
        return new Manifest.Projector(digest, size, source, linked);
    }

    private static Manifest.Link link(JsonParser p) throws IOException {
        String path = null;
        Long size = null;
        Long modified = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "path" -> path = text(p, v);
                case "sizeBytes" -> size = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case "modifiedMillis" -> modified = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                default -> p.skipChildren();
            }
        }
        if (path == null || size == null || modified == null) {
            throw new IOException("\"linked\" needs path, sizeBytes and modifiedMillis");
        }
        return new Manifest.Link(path, size, modified);
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw new IOException("\"" + p.currentName() + "\" must be a string");
        }
        return p.getText();
    }

    void write(ModelName name, Manifest manifest) throws IOException {
        // written with the data-binding mapper (only writers need it); read back by parse()
        AtomicFile.write(layout.manifest(name), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(manifest));
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
