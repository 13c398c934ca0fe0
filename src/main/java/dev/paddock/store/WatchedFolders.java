package dev.paddock.store;

import dev.paddock.error.PaddockException;
import dev.paddock.store.ModelStore.ImportResult;
import dev.paddock.model.ModelName;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The folders of {@code store.watch_dirs} (LM Studio's models folder, a downloads folder): each GGUF file in
 * them (five levels deep) is a local model used where it lies, linked as {@code import --link} does (hashed once,
 * never written or deleted). A file {@code rm} forgot is not linked again; {@code import --link} brings it back.
 * Vision projectors and the later parts of split GGUFs are not models and are left out; a model's projector (an mmproj
 * file in its folder or one above, as LM Studio keeps them) is linked with it.
 */
public final class WatchedFolders {
    private static final int DEPTH = 5;

    private final ModelStore store;
    private final List<Path> folders;
    private final Consumer<String> warnings;

    public WatchedFolders(ModelStore store, List<Path> folders, Consumer<String> warnings) {
        this.store = store;
        this.folders = List.copyOf(folders);
        this.warnings = warnings;
    }

    /** Links the files not seen before; returns the names added. */
    public List<ModelName> sync() {
        if (folders.isEmpty()) {
            return List.of();
        }
        Set<String> known = new HashSet<>(store.linkedPaths());
        known.addAll(store.forgottenLinks());
        List<ModelName> added = new ArrayList<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                warnings.accept("store.watch_dirs: " + folder + " is not a folder; skipped");
                continue;
            }
            List<Path> all = ggufFiles(folder);
            List<String> relative = all.stream().map(f -> folder.relativize(f).toString().replace('\\', '/')).toList();
            for (Path file : all.stream().filter(f -> isModel(f.getFileName().toString())).toList()) {
                String real;
                try {
                    real = file.toRealPath().toString();
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (known.contains(real)) {
                    continue;
                }
                known.add(real);
                try {
                    Path projector = dev.paddock.model.QuantName.projectorFor(folder.relativize(file).toString().replace('\\', '/'), relative)
                            .map(folder::resolve).orElse(null);
                    var r = link(file, projector);
                    added.add(r.model().name());
                } catch (PaddockException e) {
                    warnings.accept("store.watch_dirs: " + file + " is not linked: " + e.getMessage());
                    store.forgetLink(real); // said once, not on every list
                }
            }
        }
        return added;
    }

    /** Links a model with its projector; one that is not a projector is said once, and the model linked without it. */
    private ImportResult link(Path file, Path projector) {
        if (projector != null) {
            try {
                return store.linkFile(file, DefaultName.forFile(file), false, ImportProgress.NONE, projector);
            } catch (PaddockException e) {
                if (!e.getMessage().contains(projector.toString())) {
                    throw e; // the model's own fault
                }
                warnings.accept("store.watch_dirs: " + file + " is linked without " + projector + ": " + e.getMessage());
            }
        }
        return store.linkFile(file, DefaultName.forFile(file), false, ImportProgress.NONE);
    }

    private static List<Path> ggufFiles(Path folder) {
        try (Stream<Path> s = Files.find(folder, DEPTH, (p, a) -> a.isRegularFile() && p.getFileName().toString().toLowerCase(Locale.ROOT)
                        .endsWith(".gguf"),
                new FileVisitOption[0])) {
            return s.sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static boolean isModel(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".gguf") && !n.contains("mmproj") && !n.matches(".*-000(0[2-9]|[1-9]\\d)-of-\\d{5}\\.gguf");
    }
}
