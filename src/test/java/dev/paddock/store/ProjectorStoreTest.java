package dev.paddock.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticProjector;
import dev.paddock.model.ModelName;
import dev.paddock.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's multimodal projector (mmproj) installed beside it: copied or linked, kept, checked and removed with it. */
class ProjectorStoreTest {
    @TempDir Path home;
    @TempDir Path files;

    private final List<String> warnings = new ArrayList<>();
    private ModelStore store;
    private Path model;
    private Path projector;

    @BeforeEach
    void open() throws IOException {
        store = new ModelStore(new StoreLayout(home), new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "")),
                new GgufReader(), Clock.systemUTC(), warnings::add);
        model = TestModels.tiny(files, "vision.gguf");
        projector = files.resolve("mmproj-vision-f32.gguf");
        SyntheticProjector.write(projector, LlamaModelSpec.tiny().embeddingLength(), 28, 1);
    }

    @Test
    void aProjectorIsABlobBesideItsModelAndGoesWithIt() throws IOException {
        var r = store.importFile(model, model.toString(), ModelName.parse("vision"), false, ImportProgress.NONE, projector);

        StoredModel m = r.model();
        assertThat(m.vision()).isTrue();
        assertThat(m.projector().sizeBytes()).isEqualTo(Files.size(projector));
        var installed = store.installed(m.name());
        assertThat(installed.projector()).hasSameBinaryContentAs(projector);
        assertThat(installed.projectorDigest()).isEqualTo(m.projector().digest());
        assertThat(Files.readString(home.resolve("manifests/vision/latest"))).contains("\"projector\"", m.projector().digest().toString());
        // the index is rebuilt from the manifest with its projector, and garbage collection keeps the projector's blob
        Files.delete(home.resolve("paddock.db"));
        open();
        assertThat(store.list()).singleElement().satisfies(s -> assertThat(s.projector()).isEqualTo(m.projector()));
        assertThat(store.collectGarbage()).isZero();
        assertThat(installed.projector()).exists();

        var again = store.importFile(model, model.toString(), ModelName.parse("vision"), false, ImportProgress.NONE, projector);
        assertThat(again.unchanged()).isTrue();

        var removed = store.remove(List.of(m.name()));
        assertThat(removed.freedBytes()).isEqualTo(Files.size(model) + Files.size(projector));
        try (Stream<Path> blobs = Files.list(home.resolve("blobs"))) {
            assertThat(blobs).isEmpty();
        }
    }

    @Test
    void aProjectorIsAddedToAModelWithoutOneAndReplacedOnlyWithForce() throws IOException {
        store.importFile(model, ModelName.parse("vision"), false, ImportProgress.NONE);
        assertThat(store.get(ModelName.parse("vision")).vision()).isFalse();

        var added = store.importFile(model, model.toString(), ModelName.parse("vision"), false, ImportProgress.NONE, projector);
        assertThat(added.unchanged()).isFalse();
        assertThat(added.model().vision()).isTrue();

        Path other = files.resolve("mmproj-other.gguf");
        SyntheticProjector.write(other, LlamaModelSpec.tiny().embeddingLength(), 28, 2);
        assertThatThrownBy(() -> store.importFile(model, model.toString(), ModelName.parse("vision"), false, ImportProgress.NONE, other))
                .isInstanceOfSatisfying(PaddockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("different projector").hasMessageContaining("--force");
        var replaced = store.importFile(model, model.toString(), ModelName.parse("vision"), true, ImportProgress.NONE, other);
        assertThat(replaced.model().projector().digest()).isEqualTo(store.digestOf(other));
        try (Stream<Path> blobs = Files.list(home.resolve("blobs"))) {
            assertThat(blobs).hasSize(2); // the model and the new projector: the old one was collected
        }
    }

    @Test
    void aProjectorIsNotAModelNorAModelAProjector() {
        assertThatThrownBy(() -> store.importFile(projector, null, false, ImportProgress.NONE))
                .isInstanceOf(PaddockException.class)
                .hasMessageContaining("is a multimodal projector (mmproj), not a model")
                .hasMessageContaining("--mmproj " + projector);
        assertThatThrownBy(() -> store.importFile(model, model.toString(), null, false, ImportProgress.NONE, model))
                .isInstanceOf(PaddockException.class)
                .hasMessageContaining("is not a multimodal projector");
        assertThatThrownBy(() -> store.linkFile(projector, null, false, ImportProgress.NONE))
                .hasMessageContaining("not a model");
        assertThat(store.list()).isEmpty();
        assertThat(home.resolve("blobs")).satisfiesAnyOf(b -> assertThat(b).doesNotExist(), b -> assertThat(b).isEmptyDirectory());
    }

    @Test
    void aProjectorMadeForAModelOfAnotherWidthIsRefusedBeforeAnythingIsInstalled() throws IOException {
        Path wide = files.resolve("mmproj-wide.gguf");
        SyntheticProjector.write(wide, LlamaModelSpec.tiny().embeddingLength() * 2, 28, 1);
        String said = "is a projector made for a model of embedding length " + LlamaModelSpec.tiny().embeddingLength() * 2
                + ", and this model's is " + LlamaModelSpec.tiny().embeddingLength();

        assertThatThrownBy(() -> store.importFile(model, model.toString(), ModelName.parse("vision"), false, ImportProgress.NONE, wide))
                .isInstanceOfSatisfying(PaddockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining(said).hasMessageContaining("mmproj file that comes with this model");
        assertThatThrownBy(() -> store.linkFile(model, ModelName.parse("vision"), false, ImportProgress.NONE, wide))
                .hasMessageContaining(said);
        assertThat(store.list()).isEmpty();

        store.importFile(model, ModelName.parse("vision"), false, ImportProgress.NONE);
        Path copy = files.resolve("pulled-mmproj");
        Files.copy(wide, copy);
        assertThatThrownBy(() -> store.attachProjector(ModelName.parse("vision"),
                new ModelStore.ProjectorFile(copy, store.digestOf(wide), "hf://x/y/mmproj-wide.gguf"), false))
                .hasMessageContaining(said);
        assertThat(store.get(ModelName.parse("vision")).vision()).isFalse();
    }

    @Test
    void aLinkedProjectorIsUsedWhereItLiesAndAChangedOneIsReportedNotUsed() throws IOException {
        var r = store.linkFile(model, ModelName.parse("linked"), false, ImportProgress.NONE, projector);
        var installed = store.installed(r.model().name());
        assertThat(Files.isSymbolicLink(installed.projector())).isTrue();
        assertThat(installed.projector().toRealPath()).isEqualTo(projector.toRealPath());

        // the same bytes with a new time: hashed again, still used
        Files.setLastModifiedTime(projector, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(projector).toMillis() - 60_000));
        assertThat(store.installed(r.model().name()).projectorDigest()).isEqualTo(r.model().projector().digest());

        SyntheticProjector.write(projector, LlamaModelSpec.tiny().embeddingLength(), 28, 9); // other weights, same size
        assertThatThrownBy(() -> store.installed(r.model().name()))
                .isInstanceOfSatisfying(PaddockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("projector " + projector.toRealPath() + " changed since it was linked")
                .hasMessageContaining("--mmproj FILE");
        Files.delete(projector);
        assertThatThrownBy(() -> store.installed(r.model().name()))
                .hasMessageContaining("projector is linked to").hasMessageContaining("moved or deleted");
        assertThat(model).exists(); // Paddock never deletes a linked file

        // the same model and a projector copied in (no --force: the same model): the copies replace the broken links
        Path again = files.resolve("mmproj-again.gguf");
        SyntheticProjector.write(again, LlamaModelSpec.tiny().embeddingLength(), 28, 1); // the bytes that were linked
        var copied = store.importFile(model, model.toString(), ModelName.parse("linked"), false, ImportProgress.NONE, again);
        assertThat(copied.unchanged()).isFalse();
        var now = store.installed(r.model().name());
        assertThat(Files.isSymbolicLink(now.projector())).isFalse();
        assertThat(now.projector()).hasSameBinaryContentAs(again);
        assertThat(store.loadProblem(copied.model(), new dev.paddock.gguf.GgufReader().read(now.blob()))).isEmpty();
    }
}
