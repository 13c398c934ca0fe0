package dev.paddock.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.model.ModelName;
import dev.paddock.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir Path home;
    @TempDir Path files;

    private final List<String> warnings = new ArrayList<>();
    private JdbcModelRepository repo;
    private ModelStore store;

    @BeforeEach
    void open() {
        repo = new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", ""));
        store = new ModelStore(new StoreLayout(home), repo, new GgufReader(),
                Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC), warnings::add);
    }

    @Test
    void importsAModelAsABlobNamedByItsHashAndAManifest() throws Exception {
        Path file = TestModels.tiny(files, "Tiny-Model.Q8.gguf");

        ModelStore.ImportResult r = store.importFile(file, null, false, ImportProgress.NONE);

        String hex = sha256(file);
        assertThat(r.unchanged()).isFalse();
        assertThat(r.model().name()).isEqualTo(ModelName.parse("tiny-model.q8:latest"));
        assertThat(r.model().digest().hex()).isEqualTo(hex);
        assertThat(home.resolve("blobs/sha256-" + hex)).hasSameBinaryContentAs(file);
        JsonNode manifest = new ObjectMapper().readTree(home.resolve("manifests/tiny-model.q8/latest").toFile());
        assertThat(manifest.get("digest").asText()).isEqualTo("sha256:" + hex);
        assertThat(manifest.get("sizeBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(manifest.get("addedAt").asText()).isEqualTo("2026-11-22T12:00:00Z");
        assertThat(store.list()).singleElement().satisfies(m -> {
            assertThat(m.parameterCount()).isEqualTo(LlamaModelSpec.tiny().parameterCount());
            assertThat(m.quantization()).isEqualTo("F32");
            assertThat(m.contextLength()).isEqualTo(2048);
            assertThat(m.architecture()).isEqualTo("llama");
        });
        assertThat(listing(home.resolve("tmp"))).isEmpty();
    }

    @Test
    void refusesANonGgufFileWithTheReadersErrorAndWritesNothing() throws IOException {
        Path zip = Files.write(files.resolve("x.bin"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});

        assertThatThrownBy(() -> store.importFile(zip, ModelName.parse("x"), false, ImportProgress.NONE))
                .isInstanceOf(PaddockException.class)
                .hasMessageStartingWith("not a GGUF file: " + zip);
        assertThat(listing(home.resolve("blobs"))).isEmpty();
        assertThat(listing(home.resolve("manifests"))).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void importingTheSameFileAgainChangesNothing() {
        Path file = TestModels.tiny(files, "a.gguf");
        store.importFile(file, ModelName.parse("a"), false, ImportProgress.NONE);

        ModelStore.ImportResult again = store.importFile(file, ModelName.parse("a"), false, ImportProgress.NONE);

        assertThat(again.unchanged()).isTrue();
        assertThat(listing(home.resolve("blobs"))).hasSize(1);
    }

    @Test
    void aDifferentFileUnderATakenNameNeedsForceAndThenReplacesIt() {
        Path one = TestModels.tiny(files, "one.gguf");
        Path two = TestModels.write(LlamaModelSpec.tiny().withSeed(9), files, "two.gguf");
        store.importFile(one, ModelName.parse("m"), false, ImportProgress.NONE);

        assertThatThrownBy(() -> store.importFile(two, ModelName.parse("m"), false, ImportProgress.NONE))
                .hasMessage("model m:latest already exists with a different file; choose another name with --name (\"name\" in the API),"
                        + " or replace it with --force (\"replace\": true)")
                .extracting(e -> ((PaddockException) e).code()).isEqualTo(ErrorCode.CONFLICT);

        store.importFile(two, ModelName.parse("m"), true, ImportProgress.NONE);
        assertThat(listing(home.resolve("blobs"))).singleElement().asString().endsWith(sha256Unchecked(two));
        assertThat(store.get(ModelName.parse("m")).digest().hex()).isEqualTo(sha256Unchecked(two));
    }

    @Test
    void twoNamesShareOneBlobWhichGoesWithTheLastName() {
        Path file = TestModels.tiny(files, "a.gguf");
        store.importFile(file, ModelName.parse("a"), false, ImportProgress.NONE);
        store.importFile(file, ModelName.parse("b:v1"), false, ImportProgress.NONE);
        assertThat(listing(home.resolve("blobs"))).hasSize(1);

        ModelStore.RemoveResult first = store.remove(List.of(ModelName.parse("a")));
        assertThat(first.freedBytes()).isZero();
        assertThat(listing(home.resolve("blobs"))).hasSize(1);

        ModelStore.RemoveResult second = store.remove(List.of(ModelName.parse("b:v1")));
        assertThat(second.freedBytes()).isEqualTo(sizeOf(file));
        assertThat(listing(home.resolve("blobs"))).isEmpty();
        assertThat(listing(home.resolve("manifests"))).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void removingAnUnknownNameRemovesNothingAndSuggestsTheClosest() {
        Path file = TestModels.tiny(files, "a.gguf");
        store.importFile(file, ModelName.parse("llama3.2:1b"), false, ImportProgress.NONE);

        assertThatThrownBy(() -> store.remove(List.of(ModelName.parse("llama3.2:1b"), ModelName.parse("llama3.2:1"))))
                .hasMessage("model llama3.2:1 not found; did you mean \"llama3.2:1b\"?")
                .extracting(e -> ((PaddockException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void theDatabaseIsRebuiltFromTheManifestsWhenItFallsBehind() {
        Path file = TestModels.tiny(files, "a.gguf");
        store.importFile(file, ModelName.parse("a"), false, ImportProgress.NONE);
        repo.delete(ModelName.parse("a")); // as if the process died between the manifest and the row

        assertThat(store.list()).extracting(m -> m.name().toString()).containsExactly("a:latest");
        assertThat(repo.findAll()).hasSize(1);
    }

    @Test
    void rowsWithoutAManifestAndManifestsWithoutABlobAreNotListed() throws IOException {
        Path file = TestModels.tiny(files, "a.gguf");
        store.importFile(file, ModelName.parse("a"), false, ImportProgress.NONE);
        store.importFile(file, ModelName.parse("b"), false, ImportProgress.NONE);
        Files.delete(home.resolve("manifests/a/latest"));
        Files.writeString(home.resolve("manifests/b/broken"), "{not json");

        assertThat(store.list()).extracting(m -> m.name().toString()).containsExactly("b:latest");
        assertThat(repo.findAll()).hasSize(1);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("manifests/b/broken"));
    }

    @Test
    void leftoversOfAKilledImportAreIgnoredThenCollected() throws Exception {
        Path file = TestModels.tiny(files, "a.gguf");
        long deadPid = deadProcessId();
        Files.createDirectories(home.resolve("tmp"));
        Files.copy(file, home.resolve("tmp/import-" + deadPid + "-1234"));
        Files.createDirectories(home.resolve("blobs"));
        Files.copy(file, home.resolve("blobs/sha256-" + sha256(file))); // renamed, but no manifest yet

        assertThat(store.list()).isEmpty();
        assertThat(store.collectGarbage()).isEqualTo(2 * sizeOf(file));
        assertThat(listing(home.resolve("tmp"))).isEmpty();
        assertThat(listing(home.resolve("blobs"))).isEmpty();

        store.importFile(file, ModelName.parse("a"), false, ImportProgress.NONE);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void scratchFilesOfLiveProcessesAreKept() throws IOException {
        Files.createDirectories(home.resolve("tmp"));
        Path mine = Files.writeString(home.resolve("tmp/import-" + ProcessHandle.current().pid() + "-x"), "partial");

        store.collectGarbage();

        assertThat(mine).exists();
    }

    @Test
    void concurrentImportsOfOneFileEndWithOneBlobAndOneManifest() throws Exception {
        Path file = TestModels.write(LlamaModelSpec.small(), files, "s.gguf");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ModelStore.ImportResult>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> store.importFile(file, ModelName.parse("s"), false, ImportProgress.NONE)));
            }
            for (Future<ModelStore.ImportResult> f : results) {
                assertThat(f.get().model().digest().hex()).isEqualTo(sha256(file));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(listing(home.resolve("blobs"))).hasSize(1);
        assertThat(listing(home.resolve("manifests/s"))).containsExactly("latest");
        assertThat(listing(home.resolve("tmp"))).isEmpty();
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void showReadsTheHeaderOfTheBlob() {
        Path file = TestModels.tiny(files, "a.gguf");
        store.importFile(file, ModelName.parse("a"), false, ImportProgress.NONE);

        ModelStore.Details d = store.show(ModelName.parse("A:LATEST"));

        assertThat(d.file().facts().blockCount()).isEqualTo(4);
        assertThat(d.file().tensors()).hasSize(39);
    }

    @Test
    void theDemoModelIsInstalledOnce() {
        DemoModel.Result first = DemoModel.install(store);
        DemoModel.Result second = DemoModel.install(store);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(store.list()).extracting(m -> m.name().toString()).containsExactly("paddock-demo:tiny");
        assertThat(first.model().source()).isEqualTo("generated by paddock demo");
        assertThat(listing(home.resolve("tmp"))).isEmpty();
    }

    @Test
    void defaultNamesComeFromTheFileName() {
        assertThat(DefaultName.forFile(Path.of("/x/TinyLlama-1.1B-Chat.Q4_K_M.gguf")))
                .hasToString("tinyllama-1.1b-chat.q4_k_m:latest");
        assertThat(DefaultName.forFile(Path.of("..weird name!.gguf"))).hasToString("weird-name-:latest");
        assertThat(DefaultName.forFile(Path.of("....gguf"))).hasToString("model:latest");
    }

    private static List<String> listing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String sha256Unchecked(Path file) {
        try {
            return sha256(file);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static long deadProcessId() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
