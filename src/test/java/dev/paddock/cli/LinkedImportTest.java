package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.FakeHub;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import --link: a file used where it lies, then changed, touched, moved and deleted behind Paddock's back. */
class LinkedImportTest {
    @TempDir Path home;
    @TempDir Path lmstudio;

    @Test
    void aLinkedFileIsUsedInPlaceNeverWrittenAndRmForgetsIt() throws Exception {
        Path file = TestModels.tiny(lmstudio, "Tiny-F32.gguf");
        String sha = FakeHub.sha256(file);
        FileTime mtime = Files.getLastModifiedTime(file);

        CliRun link = CliRun.of(home, "import", "--link", file.toString(), "--name", "tiny:linked");
        CliRun again = CliRun.of(home, "import", "--link", file.toString(), "--name", "tiny:linked");
        CliRun show = CliRun.of(home, "show", "tiny:linked");

        assertThat(link.exitCode()).as(link.err()).isZero();
        assertThat(link.out()).contains("linked tiny:linked");
        assertThat(again.out()).contains("nothing to do");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("llama");
        try (var blobs = Files.list(home.resolve("blobs"))) {
            assertThat(blobs.toList()).singleElement().satisfies(b -> {
                assertThat(Files.isSymbolicLink(b)).isTrue();
                assertThat(b.getFileName().toString()).isEqualTo("sha256-" + sha);
            });
        }
        assertThat(CliRun.of(home, "list", "--local").out()).contains("tiny:linked");

        CliRun rm = CliRun.of(home, "rm", "tiny:linked");

        assertThat(rm.exitCode()).as(rm.err()).isZero();
        assertThat(file).exists();
        assertThat(FakeHub.sha256(file)).isEqualTo(sha);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
        try (var blobs = Files.list(home.resolve("blobs"))) {
            assertThat(blobs.toList()).isEmpty();
        }
    }

    @Test
    void aTouchedFileIsHashedAgainAndKeptAChangedOneIsRefusedAMovedOneReported() throws Exception {
        Path file = TestModels.tiny(lmstudio, "Tiny-F32.gguf");
        assertThat(CliRun.of(home, "import", "--link", file.toString(), "--name", "tiny:linked").exitCode()).isZero();

        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 60_000)); // same bytes
        assertThat(CliRun.of(home, "show", "tiny:linked").exitCode()).isZero();
        assertThat(CliRun.of(home, "list", "--local").err()).doesNotContain("changed");

        long size = Files.size(file);
        try (var ch = Files.newByteChannel(file, StandardOpenOption.WRITE)) { // another byte near the end: same size
            ch.position(size - 8).write(java.nio.ByteBuffer.wrap(new byte[] {42}));
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 120_000));
        CliRun list = CliRun.of(home, "list", "--local");
        CliRun changed = CliRun.of(home, "show", "tiny:linked");

        assertThat(list.err()).contains("tiny:linked", "changed since it was linked");
        assertThat(changed.exitCode()).isEqualTo(1);
        assertThat(changed.err()).contains("changed since it was linked", "--force", "paddock rm tiny:linked");

        Path moved = Files.move(file, lmstudio.resolve("elsewhere.gguf"));
        CliRun gone = CliRun.of(home, "show", "tiny:linked");
        CliRun listed = CliRun.of(home, "list", "--local");

        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("moved or deleted", file.toString());
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.err()).contains("was moved or deleted");
        assertThat(CliRun.of(home, "import", "--link", moved.toString(), "--name", "tiny:linked", "--force").exitCode()).isZero();
        assertThat(CliRun.of(home, "show", "tiny:linked").exitCode()).isZero();
        assertThat(CliRun.of(home, "rm", "tiny:linked").exitCode()).isZero();
        assertThat(moved).exists();
    }

    @Test
    void aFileThatIsNotGgufOrLivesInTheHomeIsNotLinked() throws Exception {
        Path text = Files.writeString(lmstudio.resolve("notes.gguf"), "just text");
        CliRun bad = CliRun.of(home, "import", "--link", text.toString());
        CliRun missing = CliRun.of(home, "import", "--link", lmstudio.resolve("nope.gguf").toString());
        CliRun.of(home, "demo");
        Path blob;
        try (var blobs = Files.list(home.resolve("blobs"))) {
            blob = blobs.findFirst().orElseThrow();
        }
        CliRun inHome = CliRun.of(home, "import", "--link", blob.toString(), "--name", "x:y");

        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("not a GGUF file").doesNotContain("just text");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
        assertThat(inHome.exitCode()).isEqualTo(1);
        assertThat(inHome.err()).contains("inside Paddock's home");
        assertThat(CliRun.of(home, "list", "--local").out()).doesNotContain("notes").doesNotContain("x:y");
    }

    @Test
    void aModelWhoseLinkedProjectorIsGoneIsListedAsBrokenNotRunnableUntilItIsLinkedAgain() throws Exception {
        Path file = TestModels.tiny(lmstudio, "Vision-F32.gguf");
        Path projector = lmstudio.resolve("mmproj-Vision-F16.gguf");
        dev.paddock.gguf.SyntheticProjector.write(projector, dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength(), 28, 1);
        // the same bytes copied in under another name first: the store then holds real blobs, not only links
        assertThat(CliRun.of(home, "import", file.toString(), "--mmproj", projector.toString(), "--name", "copied").exitCode()).isZero();
        assertThat(CliRun.of(home, "import", "--link", file.toString(), "--mmproj", projector.toString(), "--name", "vision")
                .exitCode()).isZero();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.function.Function<String, com.fasterxml.jackson.databind.JsonNode> row = name -> {
            try {
                for (var m : mapper.readTree(CliRun.of(home, "list", "--local", "--json").out())) {
                    if (m.path("name").asText().equals(name)) {
                        return m;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new AssertionError(name + " is not listed");
        };
        assertThat(row.apply("vision:latest").path("problem").isNull()).isTrue();

        Path moved = Files.move(projector, lmstudio.resolve("mmproj-moved.gguf"));
        CliRun table = CliRun.of(home, "list", "--local");
        var after = row.apply("vision:latest");

        assertThat(after.path("runnable").asBoolean(true)).isFalse();
        assertThat(after.path("problem").asText()).contains("projector", "moved or deleted");
        assertThat(table.out().lines().filter(l -> l.startsWith("vision")).findFirst().orElseThrow()).contains("broken");
        assertThat(table.err()).contains("linked projector", "was moved or deleted");
        assertThat(after.path("problem").asText()).contains(projector.toString());
        assertThat(row.apply("copied:latest").path("runnable").asBoolean()).as("the copy is whole").isTrue();
        assertThat(file).exists();

        // the way out the message gives: link it again where it lies now
        CliRun relinked = CliRun.of(home, "import", "--link", file.toString(), "--mmproj", moved.toString(), "--name", "vision", "--force");
        assertThat(relinked.exitCode()).as(relinked.err()).isZero();
        assertThat(relinked.err() + relinked.out()).doesNotContain("nothing to do");
        assertThat(row.apply("vision:latest").path("problem").isNull()).isTrue();
        assertThat(row.apply("vision:latest").path("runnable").asBoolean()).isTrue();
    }

    @Test
    void watchedFoldersListTheirModelsInPlaceAndRmForgetsOneUntilItIsLinkedAgain() throws Exception {
        Path models = java.nio.file.Files.createDirectories(lmstudio.resolve("models/paddock/tiny-GGUF"));
        Path a = TestModels.tiny(models, "Tiny-A-F32.gguf");
        TestModels.write(dev.paddock.gguf.LlamaModelSpec.tiny().withSeed(7), models, "Tiny-B-F32.gguf");
        Path projector = models.resolve("mmproj-Tiny-F16.gguf"); // LM Studio keeps a vision model's projector beside it
        dev.paddock.gguf.SyntheticProjector.write(projector, dev.paddock.gguf.LlamaModelSpec.tiny().embeddingLength(), 28, 1);
        Path textOnly = java.nio.file.Files.createDirectories(lmstudio.resolve("models/paddock/text-GGUF"));
        TestModels.write(dev.paddock.gguf.LlamaModelSpec.tiny().withSeed(8), textOnly, "Text-F32.gguf");
        TestModels.tiny(textOnly, "mmproj-Wrong.gguf"); // a model under a projector's name: the model beside it is linked without it
        TestModels.tiny(models, "Big-F32-00002-of-00003.gguf");
        Files.writeString(models.resolve("broken.gguf"), "not a model");
        java.util.Map<String, String> env = java.util.Map.of("PADDOCK_STORE_WATCH_DIRS", lmstudio.resolve("models").toString());

        CliRun first = CliRun.withEnv(home, env, "list", "--local");
        CliRun second = CliRun.withEnv(home, env, "list", "--local");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("tiny-a-f32", "tiny-b-f32").doesNotContain("mmproj").doesNotContain("big-f32").doesNotContain("broken");
        assertThat(first.err()).contains("broken.gguf is not linked", "not a GGUF file");
        assertThat(second.err()).doesNotContain("broken"); // said once
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(first.err()).contains("Text-F32.gguf is linked without", "is not a multimodal projector");
        assertThat(second.err()).doesNotContain("linked without");
        var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(CliRun.withEnv(home, env, "list", "--local", "--json").out());
        java.util.Map<String, Boolean> vision = new java.util.TreeMap<>();
        listed.forEach(m -> vision.put(m.path("name").asText(), m.path("vision").asBoolean()));
        assertThat(vision).containsEntry("tiny-a-f32:latest", true).containsEntry("tiny-b-f32:latest", true)
                .containsEntry("text-f32:latest", false);

        String name = first.out().lines().filter(l -> l.startsWith("tiny-a-f32")).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(CliRun.withEnv(home, env, "rm", name).exitCode()).isZero();
        assertThat(a).exists();
        assertThat(CliRun.withEnv(home, env, "list", "--local").out()).doesNotContain("tiny-a-f32").contains("tiny-b-f32");
        assertThat(CliRun.withEnv(home, env, "import", "--link", a.toString()).exitCode()).isZero();
        assertThat(CliRun.withEnv(home, env, "list", "--local").out()).contains("tiny-a-f32");
    }
}
