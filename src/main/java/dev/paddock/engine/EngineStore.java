package dev.paddock.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paddock.error.PaddockException;
import dev.paddock.store.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The installed engines: {@code engines/<id>/} holds {@code bin/llama-server} (and {@code bin/llama-bench}),
 * {@code engine.json} and the build and smoke-test logs; {@code engines/default} names the default. An engine
 * is assembled in a {@code .staging-*} folder and appears under its id in one rename, so a build that fails or
 * is interrupted leaves nothing registered.
 */
public final class EngineStore {
    /** Made on first use: everyday commands with no engine installed never start Jackson for it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
    static final String STAGING = ".staging-";

    private final Path root;

    public EngineStore(Path home) {
        this.root = home.resolve("engines");
    }

    Path root() {
        return root;
    }

    public List<Engine> list() {
        List<Engine> engines = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return engines;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dirs) {
                if (!d.getFileName().toString().startsWith(".")) {
                    read(d).ifPresent(engines::add);
                }
            }
        } catch (IOException e) {
            throw PaddockException.storage("cannot read " + root + ": " + e.getMessage(), e);
        }
        engines.sort(Comparator.comparing(Engine::installedAt).reversed());
        return engines;
    }

    public Optional<Engine> find(String id) {
        return read(root.resolve(EngineId.check(id)));
    }

    /** The engine by id, or a not-found error naming the installed ones. */
    public Engine require(String id) {
        return find(id).orElseThrow(() -> {
            List<String> installed = list().stream().map(Engine::id).toList();
            return PaddockException.notFound("no engine " + id + " is installed" + (installed.isEmpty()
                    ? "; install one with: paddock engine install" : " (installed: " + String.join(", ", installed) + ")"));
        });
    }

    /** The default engine's id when one is set and still installed. */
    public Optional<String> defaultId() {
        return defaultEngine().map(Engine::id);
    }

    /** The default engine, read once: its name from {@code default}, its record from its folder. */
    public Optional<Engine> defaultEngine() {
        Path f = root.resolve("default");
        try {
            if (!Files.isRegularFile(f)) {
                return Optional.empty();
            }
            String id = Files.readString(f, StandardCharsets.UTF_8).strip();
            return id.isEmpty() ? Optional.empty() : find(id);
        } catch (IOException | PaddockException e) {
            return Optional.empty();
        }
    }

    void setDefault(String id) {
        try {
            Files.createDirectories(root);
            AtomicFile.write(root.resolve("default"), (id + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw PaddockException.storage("cannot write " + root.resolve("default") + ": " + e.getMessage(), e);
        }
    }

    void clearDefault() {
        try {
            Files.deleteIfExists(root.resolve("default"));
        } catch (IOException e) {
            throw PaddockException.storage("cannot write " + root.resolve("default") + ": " + e.getMessage(), e);
        }
    }

    public Path folder(String id) {
        return root.resolve(EngineId.check(id));
    }

    public Path server(Engine e) {
        return folder(e.id()).resolve("bin").resolve("llama-server");
    }

    public Optional<Path> bench(Engine e) {
        Path p = folder(e.id()).resolve("bin").resolve("llama-bench");
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    Path newStaging() {
        try {
            Files.createDirectories(root);
            return Files.createDirectory(root.resolve(STAGING + UUID.randomUUID()));
        } catch (IOException e) {
            throw PaddockException.storage("cannot create a folder in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Writes the engine's record into the staging folder, then renames the folder to the engine's id. */
    void commit(Path staging, Engine engine) throws IOException {
        writeRecord(staging, engine);
        Path target = folder(engine.id());
        if (Files.exists(target)) { // a rebuild: the old one goes only once the new one is complete
            Path old = root.resolve(".old-" + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    void update(Engine engine) {
        try {
            writeRecord(folder(engine.id()), engine);
        } catch (IOException e) {
            throw PaddockException.storage("cannot write " + folder(engine.id()) + ": " + e.getMessage(), e);
        }
    }

    private static void writeRecord(Path dir, Engine engine) throws IOException {
        AtomicFile.write(dir.resolve("engine.json"), Json.MAPPER.writeValueAsBytes(engine));
    }

    void remove(String id) {
        Path dir = folder(id);
        Path gone = root.resolve(".removed-" + UUID.randomUUID());
        try {
            Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE); // unlisted at once, even if deleting takes a while
            deleteTree(gone);
        } catch (IOException e) {
            throw PaddockException.storage("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Folders left by builds that failed or were killed; called under the install lock. */
    void removeLeftovers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, ".*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d)) {
                    deleteTree(d);
                }
            }
        } catch (IOException e) {
            throw PaddockException.storage("cannot clean " + root + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Engine> read(Path dir) {
        Path f = dir.resolve("engine.json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(f.toFile(), Engine.class));
        } catch (IOException e) {
            return Optional.empty(); // not an engine Paddock finished installing
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
