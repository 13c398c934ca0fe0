package dev.paddock.store;

import dev.paddock.error.PaddockException;
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
 * Vision projectors and the later parts of split GGUFs are not models and are left out.
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
            for (Path file : ggufFiles(folder)) {
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
                    var r = store.linkFile(file, DefaultName.forFile(file), false, ImportProgress.NONE);
                    added.add(r.model().name());
                } catch (PaddockException e) {
                    warnings.accept("store.watch_dirs: " + file + " is not linked: " + e.getMessage());
                    store.forgetLink(real); // said once, not on every list
                }
            }
        }
        return added;
    }

    private static List<Path> ggufFiles(Path folder) {
        try (Stream<Path> s = Files.find(folder, DEPTH, (p, a) -> a.isRegularFile() && isModel(p.getFileName().toString()),
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
