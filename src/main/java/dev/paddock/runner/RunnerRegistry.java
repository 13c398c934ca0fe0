package dev.paddock.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.model.ModelName;
import dev.paddock.store.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The files under {@code runners/}: one per running model. Entries of dead processes are stale and dropped. */
final class RunnerRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    RunnerRegistry(Path dir) {
        this.dir = dir;
    }

    Path lockFile(ModelName name) {
        return dir.resolve(name.family()).resolve(name.tag() + ".lock");
    }

    Optional<LoadedRunner> read(ModelName name) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file(name)), LoadedRunner.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // a torn or foreign file: treated as no runner
        }
    }

    void write(ModelName name, LoadedRunner runner) throws IOException {
        ensureDir(file(name).getParent());
        AtomicFile.write(file(name), JSON.writeValueAsBytes(runner));
        Files.setPosixFilePermissions(file(name), PosixFilePermissions.fromString("rw-------"));
    }

    void remove(ModelName name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException ignored) {
            // stale entries are recognised by their dead pid anyway
        }
    }

    /** Live runners; entries whose process is gone are removed on the way. */
    List<LoadedRunner> live() {
        List<LoadedRunner> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String text = f.getParent().getFileName() + ":" + f.getFileName().toString().replaceFirst("\\.json$", "");
                if (!ModelName.isValid(text)) {
                    continue;
                }
                ModelName name = ModelName.parse(text);
                read(name).ifPresent(r -> {
                    if (r.alive()) {
                        out.add(r);
                    } else {
                        remove(name);
                    }
                });
            }
        } catch (IOException ignored) {
            // an unreadable folder lists as empty
        }
        return out;
    }

    private Path file(ModelName name) {
        return dir.resolve(name.family()).resolve(name.tag() + ".json");
    }

    void ensureDir(Path d) throws IOException {
        Files.createDirectories(d);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
