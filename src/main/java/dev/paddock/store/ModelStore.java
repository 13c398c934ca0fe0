package dev.paddock.store;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.gguf.GgufFile;
import dev.paddock.gguf.GgufReader;
import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import dev.paddock.model.Suggestion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The local model store: content-addressed blobs, one manifest per name, facts in the database.
 * Manifests are the truth about which names exist; the database is an index that {@link #list()}
 * repairs when a crash left it behind.
 */
public final class ModelStore {
    private final StoreLayout layout;
    private final ModelRepository repository;
    private final GgufReader reader;
    private final Clock clock;
    private final Manifests manifests;
    private final StoreLock lock;
    private final StoreCleaner cleaner;
    private final Consumer<String> warnings;

    public ModelStore(StoreLayout layout, ModelRepository repository, GgufReader reader, Clock clock,
            Consumer<String> warnings) {
        this.layout = layout;
        this.repository = repository;
        this.reader = reader;
        this.clock = clock;
        this.manifests = new Manifests(layout, warnings);
        this.lock = new StoreLock(layout.lockFile());
        this.cleaner = new StoreCleaner(layout, manifests, warnings);
        this.warnings = warnings;
    }

    public StoreLayout layout() {
        return layout;
    }

    public record ImportResult(StoredModel model, boolean unchanged) {}

    /** What a taken name leaves a user, in the CLI's words and the API's (its import and pull take the same fields). */
    private static final String REPLACE_HOW = "; choose another name with --name (\"name\" in the API), or replace it with --force"
            + " (\"replace\": true)";

    /**
     * A multimodal projector (mmproj) to install with a model: a complete file whose SHA-256 the caller computed from
     * its bytes, moved into the store like the model's own file.
     */
    public record ProjectorFile(Path file, Digest digest, String source) {}

    /**
     * Copies a GGUF file into the store under {@code name} (derived from the file name when null).
     * Crash-safe at every step: the blob is renamed into place only once complete and synced, and the
     * manifest is written only after that.
     */
    public ImportResult importFile(Path source, ModelName name, boolean replace, ImportProgress progress) {
        return importFile(source, source.toAbsolutePath().toString(), name, replace, progress, null);
    }

    /**
     * As above, recording {@code sourceLabel} (a URL, say) as where the model came from, with the model's multimodal
     * projector copied in beside it when {@code projector} is not null.
     */
    public ImportResult importFile(Path source, String sourceLabel, ModelName name, boolean replace,
            ImportProgress progress, Path projector) {
        GgufFile header = reader.read(source); // refuse non-GGUF files before copying a byte
        requireModel(header, source);
        long size = header.fileSize();
        if (projector != null) {
            GgufFile p = reader.read(projector);
            requireProjector(p, projector, header);
            size += p.fileSize();
        }
        ModelName target = name != null ? name : DefaultName.forFile(source);
        ensureSpace(source.toString(), size);
        String scratch = "import-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        Path tmp = layout.tmp().resolve(scratch);
        Path tmpProjector = layout.tmp().resolve(scratch + "-mmproj");
        try {
            Files.createDirectories(layout.tmp());
            Files.createDirectories(layout.blobs());
            ProjectorFile copied = projector == null ? null : new ProjectorFile(tmpProjector,
                    BlobCopy.copy(projector, tmpProjector, ImportProgress.NONE).digest(), projector.toAbsolutePath().toString());
            BlobCopy.Result copy = BlobCopy.copy(source, tmp, progress);
            return install(tmp, copy.digest(), target, sourceLabel, replace, copied);
        } catch (IOException e) {
            throw storageFailure("cannot import " + source, e, size);
        } finally {
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(tmpProjector);
            } catch (IOException ignored) {
                // left for the cleaner, which removes scratch files of finished processes
            }
        }
    }

    /** A projector is loaded beside its model, never as one: refused with the way to use it. */
    private static void requireModel(GgufFile header, Path file) {
        if (header.isProjector()) {
            throw PaddockException.invalidInput(file + " is a multimodal projector (mmproj), not a model; install it beside its model: "
                    + "paddock import MODEL.gguf --mmproj " + file);
        }
    }

    /** A projector, and one made for this model as far as its type tells: a width the model cannot take is refused here. */
    private static void requireProjector(GgufFile header, Path file, GgufFile model) {
        if (!header.isProjector()) {
            throw PaddockException.invalidInput(file + " is not a multimodal projector (an mmproj file); --mmproj takes the projector"
                    + " that comes with a vision model");
        }
        Long width = header.projectorWidth().orElse(null);
        Long embedding = model.facts().embeddingLength();
        if (width != null && embedding != null && !width.equals(embedding)) {
            throw PaddockException.invalidInput(file + " is a projector made for a model of embedding length " + width
                    + ", and this model's is " + embedding + "; use the mmproj file that comes with this model");
        }
    }

    /**
     * Uses a GGUF file where it lies ({@code import --link}): it is checked and hashed once, its size and
     * modification time recorded, and its blob is a symbolic link to it. Paddock never writes or deletes the
     * file; {@code rm} forgets it. When its size or time changes it is hashed again before use, and a file
     * that moved or whose bytes changed is reported, never used in place of what was linked.
     */
    public ImportResult linkFile(Path source, ModelName name, boolean replace, ImportProgress progress) {
        return linkFile(source, name, replace, progress, null);
    }

    /** As above, with the model's multimodal projector linked where it lies too when {@code projector} is not null. */
    public ImportResult linkFile(Path source, ModelName name, boolean replace, ImportProgress progress, Path projector) {
        Path file = linkable(source);
        GgufFile header = reader.read(file);
        requireModel(header, source); // a sound GGUF, or nothing is recorded
        Path projectorFile = projector == null ? null : linkable(projector);
        if (projectorFile != null) {
            requireProjector(reader.read(projectorFile), projector, header);
        }
        ModelName target = name != null ? name : DefaultName.forFile(source);
        try {
            Hashed hashed = hashUnchanging(file, source, progress);
            Hashed proj = projectorFile == null ? null : hashUnchanging(projectorFile, projector, ImportProgress.NONE);
            Digest digest = hashed.digest();
            var after = hashed.attributes();
            Manifest.Projector newProjector = proj == null ? null : new Manifest.Projector(proj.digest().toString(), proj.attributes().size(),
                    projectorFile.toString(), new Manifest.Link(projectorFile.toString(), proj.attributes().size(),
                            proj.attributes().lastModifiedTime().toMillis()));
            Optional<Manifest> existing = manifests.read(target);
            if (existing.isPresent() && existing.get().digest().equals(digest.toString()) && existing.get().linked() != null
                    && existing.get().linked().path().equals(file.toString()) && (newProjector == null || existing.get().projector() != null
                    && existing.get().projector().digest().equals(newProjector.digest()) && existing.get().projector().linked() != null
                    && existing.get().projector().linked().path().equals(projectorFile.toString()))) {
                return new ImportResult(repository.find(target).orElseGet(() -> index(target, existing.get())), true);
            }
            if (existing.isPresent() && !replace) {
                throw new PaddockException(ErrorCode.CONFLICT, "model " + target + " already exists with a different file" + REPLACE_HOW);
            }
            GgufFacts facts = reader.read(file).facts();
            Instant now = clock.instant();
            Manifest manifest = new Manifest(Manifest.SCHEMA_VERSION, target.toString(), digest.toString(), after.size(), "gguf",
                    file.toString(), now.toString(), new Manifest.Link(file.toString(), after.size(), after.lastModifiedTime().toMillis()),
                    newProjector);
            Files.createDirectories(layout.blobs());
            lock.holding(() -> {
                if (proj != null) {
                    linkBlob(proj.digest(), projectorFile);
                }
                linkBlob(digest, file);
                manifests.write(target, manifest);
                return null;
            });
            StoredModel model = model(target, manifest, facts, now);
            repository.save(model);
            Set<String> forgotten = new java.util.TreeSet<>(forgottenLinks());
            if (forgotten.remove(file.toString())) {
                writeForgotten(forgotten);
            }
            if (existing.isPresent()) {
                cleaner.collect(lock);
            }
            return new ImportResult(model, false);
        } catch (IOException e) {
            throw StoreLock.failed("cannot link " + source, e);
        }
    }

    /** The file a user names for linking, resolved; one inside Paddock's home is refused. */
    private Path linkable(Path source) {
        Path file;
        try {
            file = source.toAbsolutePath().toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw PaddockException.notFound("no such file: " + source);
        } catch (IOException e) {
            throw PaddockException.invalidInput("cannot read " + source + ": " + e.getMessage());
        }
        if (file.startsWith(layout.home().toAbsolutePath().normalize())) {
            throw PaddockException.invalidInput(source + " is inside Paddock's home; link files that live elsewhere");
        }
        return file;
    }

    private record Hashed(Digest digest, java.nio.file.attribute.BasicFileAttributes attributes) {}

    /** A file's SHA-256, and its size and time, which must not change while it is read (a download still being written). */
    private static Hashed hashUnchanging(Path file, Path asNamed, ImportProgress progress) throws IOException {
        var before = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        Digest digest = BlobCopy.hash(file, progress);
        var after = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        if (before.size() != after.size() || !before.lastModifiedTime().equals(after.lastModifiedTime())) {
            throw new PaddockException(ErrorCode.CONFLICT, asNamed + " changed while it was being hashed; link it again once it is complete");
        }
        return new Hashed(digest, after);
    }

    /** A file's SHA-256, read once (as a linked file's or a merged download's is before it is used). */
    public Digest digestOf(Path file) {
        try {
            return BlobCopy.hash(file, ImportProgress.NONE);
        } catch (IOException e) {
            throw PaddockException.storage("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The files linked models use. */
    public List<String> linkedPaths() {
        return manifests.all().values().stream().filter(m -> m.linked() != null).map(m -> m.linked().path()).toList();
    }

    /** Linked files {@code rm} forgot: watched folders do not link them again. */
    public Set<String> forgottenLinks() {
        Path f = layout.home().resolve("forgotten-links");
        try {
            return Files.isRegularFile(f) ? new java.util.HashSet<>(Files.readAllLines(f)) : Set.of();
        } catch (IOException e) {
            return Set.of();
        }
    }

    void forgetLink(String path) {
        Set<String> all = new java.util.TreeSet<>(forgottenLinks());
        if (all.add(path)) {
            writeForgotten(all);
        }
    }

    private void writeForgotten(Set<String> paths) {
        try {
            AtomicFile.write(layout.home().resolve("forgotten-links"), String.join("\n", paths).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            warnings.accept("cannot record forgotten links in " + layout.home() + ": " + e.getMessage());
        }
    }

    /** The blob of a linked file: a symbolic link to it, unless the store holds a copy of those bytes already. */
    private void linkBlob(Digest digest, Path file) throws IOException {
        Path blob = layout.blob(digest);
        if (Files.isSymbolicLink(blob) && !Files.exists(blob)) {
            Files.delete(blob); // it pointed at a file that has gone
        }
        if (!Files.exists(blob, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(blob, file);
        }
    }

    /**
     * A linked model's manifest, once its file is known to hold the bytes it was linked with: unchanged size and
     * time, or the same SHA-256 when they moved (then recorded). Otherwise an error that says what to do.
     */
    private Manifest checked(ModelName name, Manifest m) {
        Manifest out = m;
        if (m.linked() != null) {
            Manifest.Link l = checkedLink(name, "file", Digest.parse(m.digest()), m.linked());
            out = l == m.linked() ? out : out.relinked(l.sizeBytes(), l.modifiedMillis());
        }
        if (m.projector() != null && m.projector().linked() != null) {
            Manifest.Link l = checkedLink(name, "projector", Digest.parse(m.projector().digest()), m.projector().linked());
            out = l == m.projector().linked() ? out : out.withProjector(m.projector().relinked(l.sizeBytes(), l.modifiedMillis()));
        }
        if (out != m) {
            Manifest updated = out;
            try {
                lock.holding(() -> {
                    manifests.write(name, updated);
                    return null;
                });
            } catch (IOException e) {
                throw StoreLock.failed("cannot update " + name, e);
            }
        }
        return out;
    }

    /**
     * A linked file's record once the file is known to hold the bytes it was linked with: the same record when its size
     * and time are unchanged, a new one when they changed but the SHA-256 did not; otherwise an error that says what to do.
     */
    private Manifest.Link checkedLink(ModelName name, String what, Digest digest, Manifest.Link link) {
        Path file = Path.of(link.path());
        String again = "link it again with \"paddock import --link " + (what.equals("file") ? "FILE" : "MODEL --mmproj FILE") + " --name "
                + name + " --force\"";
        try {
            if (!Files.isRegularFile(file)) {
                throw PaddockException.notFound("model " + name + (what.equals("file") ? " is linked to " : "'s projector is linked to ") + file
                        + ", which was moved or deleted; " + again + ", or forget it with \"paddock rm " + name + "\"");
            }
            var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            if (a.size() == link.sizeBytes() && a.lastModifiedTime().toMillis() == link.modifiedMillis()) {
                if (!Files.exists(layout.blob(digest))) {
                    lock.holding(() -> {
                        linkBlob(digest, file);
                        return null;
                    });
                }
                return link;
            }
            Digest now = digestOf(file);
            if (!now.equals(digest)) {
                throw new PaddockException(ErrorCode.CONFLICT, "model " + name + "'s " + what + " " + file + " changed since it was linked (its "
                        + "SHA-256 is " + now.shortHex() + " now, not " + digest.shortHex() + "); " + again + " to use the new file, or "
                        + "forget it with \"paddock rm " + name + "\"");
            }
            lock.holding(() -> {
                linkBlob(digest, file);
                return null;
            });
            return new Manifest.Link(link.path(), a.size(), a.lastModifiedTime().toMillis());
        } catch (IOException e) {
            throw StoreLock.failed("cannot check " + file, e);
        }
    }

    /** Without hashing: whether a linked model's file still looks as when it was linked (for list, which warns). */
    private void warnIfLinkMoved(ModelName name, Manifest m) {
        warnIfMoved(name, "linked file", m.linked());
        warnIfMoved(name, "linked projector", m.projector() == null ? null : m.projector().linked());
    }

    private void warnIfMoved(ModelName name, String what, Manifest.Link link) {
        if (link == null) {
            return;
        }
        Path file = Path.of(link.path());
        try {
            var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            if (a.size() != link.sizeBytes() || a.lastModifiedTime().toMillis() != link.modifiedMillis()) {
                warnings.accept(name + ": its " + what + " " + file + " changed since it was linked; it is checked again before use");
            }
        } catch (IOException e) {
            warnings.accept(name + ": its " + what + " " + file + " was moved or deleted; \"paddock rm " + name + "\" forgets it");
        }
    }

    /**
     * Moves a complete file whose SHA-256 is {@code digest} (computed by the caller from its bytes) into
     * the store under {@code name}: its GGUF header is checked, it is renamed into {@code blobs/} (it must
     * be on the same filesystem), and only then is the manifest written. The same file under the same
     * name again changes nothing.
     */
    public ImportResult install(Path file, Digest digest, ModelName target, String sourceLabel, boolean replace) {
        return install(file, digest, target, sourceLabel, replace, null);
    }

    /**
     * As above, with the model's multimodal projector moved in beside it when {@code projector} is not null. The same
     * model and projector again change nothing; a projector for a model installed without one is added; another
     * projector in place of the one installed needs {@code replace}.
     */
    public ImportResult install(Path file, Digest digest, ModelName target, String sourceLabel, boolean replace, ProjectorFile projector) {
        try {
            Optional<Manifest> existing = manifests.read(target);
            Manifest.Projector kept = existing.map(Manifest::projector).orElse(null);
            boolean sameBytes = existing.isPresent() && existing.get().digest().equals(digest.toString());
            boolean sameModel = sameBytes && existing.get().linked() == null; // a linked model's bytes copied in become the store's own
            // a projector of the same bytes that was linked is copied in too: its link may be the very thing that broke
            boolean projectorCopiedIn = kept != null && projector != null && kept.digest().equals(projector.digest().toString());
            if (sameModel && (projector == null || projectorCopiedIn && kept.linked() == null)) {
                Files.deleteIfExists(file);
                if (projector != null) {
                    Files.deleteIfExists(projector.file());
                }
                StoredModel model = repository.find(target).orElseGet(() -> index(target, existing.get()));
                return new ImportResult(model, true);
            }
            if (existing.isPresent() && !replace && !(sameBytes && (kept == null || projector == null || projectorCopiedIn))) {
                throw new PaddockException(ErrorCode.CONFLICT, "model " + target + " already exists with a different "
                        + (sameBytes ? "projector" : "file") + REPLACE_HOW);
            }
            GgufFile header = reader.read(file); // the bytes that will be installed
            requireModel(header, file);
            GgufFacts facts = header.facts();
            Manifest.Projector newProjector = projector == null && sameBytes ? kept : null; // the same model keeps its projector
            if (projector != null) {
                requireProjector(reader.read(projector.file()), projector.file(), header);
                newProjector = new Manifest.Projector(projector.digest().toString(), Files.size(projector.file()), projector.source(), null);
            }
            long size = Files.size(file);
            Instant now = clock.instant();
            Manifest manifest = sameModel ? existing.get().withProjector(newProjector)
                    : new Manifest(Manifest.SCHEMA_VERSION, target.toString(), digest.toString(), size, "gguf", sourceLabel, now.toString(),
                            null, newProjector);
            Files.createDirectories(layout.blobs());
            lock.holding(() -> {
                if (projector != null) {
                    moveIntoBlob(projector.file(), projector.digest());
                }
                moveIntoBlob(file, digest);
                manifests.write(target, manifest);
                return null;
            });
            StoredModel model = model(target, manifest, facts, now);
            repository.save(model);
            if (existing.isPresent()) {
                cleaner.collect(lock);
            }
            return new ImportResult(model, false);
        } catch (IOException e) {
            throw StoreLock.failed("cannot install " + target, e);
        }
    }

    /**
     * Installs a multimodal projector for a model already in the store, as {@link #install} does beside a new file: the
     * same one again changes nothing, another in place of an installed one needs {@code replace}.
     */
    public ImportResult attachProjector(ModelName name, ProjectorFile projector, boolean replace) {
        Manifest m = manifests.read(name).orElseThrow(() -> notFound(name));
        try {
            if (m.projector() != null && m.projector().digest().equals(projector.digest().toString())) {
                Files.deleteIfExists(projector.file());
                return new ImportResult(get(name), true);
            }
            if (m.projector() != null && !replace) {
                throw new PaddockException(ErrorCode.CONFLICT, "model " + name + " already has a different projector; replace it with --force"
                        + " (\"replace\": true in the API)");
            }
            requireProjector(reader.read(projector.file()), projector.file(), reader.read(blobPath(get(name))));
            Manifest updated = m.withProjector(new Manifest.Projector(projector.digest().toString(), Files.size(projector.file()),
                    projector.source(), null));
            lock.holding(() -> {
                moveIntoBlob(projector.file(), projector.digest());
                manifests.write(name, updated);
                return null;
            });
            StoredModel model = get(name);
            if (m.projector() != null) {
                cleaner.collect(lock);
            }
            return new ImportResult(model, false);
        } catch (IOException e) {
            throw StoreLock.failed("cannot install the projector of " + name, e);
        }
    }

    /** A complete, verified file into its blob, unless the store holds those bytes already. */
    private void moveIntoBlob(Path file, Digest digest) throws IOException {
        Path blob = layout.blob(digest);
        if (Files.exists(blob) && !Files.isSymbolicLink(blob)) {
            Files.delete(file);
        } else {
            AtomicFile.move(file, blob); // over a linked file's link too: the store's own verified copy is safer
        }
    }

    /**
     * What changes when a model is added, replaced or removed, by this process or another: each manifest's name, size and
     * time. Read without parsing or warning, so that a page can ask every few seconds.
     */
    public String stamp() {
        Path root = layout.manifests();
        if (!Files.isDirectory(root)) {
            return "";
        }
        try (var files = Files.walk(root, 2)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return root.relativize(f) + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
                } catch (IOException gone) {
                    return "";
                }
            }).sorted().toList().toString();
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unreadable";
        }
    }

    /** Every model in the store, by name. */
    public List<StoredModel> list() {
        Map<ModelName, Manifest> all = manifests.all();
        Map<ModelName, StoredModel> rows = new HashMap<>();
        for (StoredModel row : repository.findAll()) {
            rows.put(row.name(), row);
        }
        List<StoredModel> out = new ArrayList<>();
        for (Map.Entry<ModelName, Manifest> e : all.entrySet()) {
            warnIfLinkMoved(e.getKey(), e.getValue());
            StoredModel row = rows.remove(e.getKey());
            if (row != null && row.digest().toString().equals(e.getValue().digest()) && sameProjector(row, e.getValue())) {
                out.add(row);
            } else {
                StoredModel indexed = index(e.getKey(), e.getValue());
                if (indexed != null) {
                    out.add(indexed);
                }
            }
        }
        rows.keySet().forEach(repository::delete); // rows whose manifest is gone
        return out;
    }

    public Optional<StoredModel> find(ModelName name) {
        return manifests.read(name).map(m -> checked(name, m)).map(m -> repository.find(name)
                .filter(r -> r.digest().toString().equals(m.digest()) && sameProjector(r, m))
                .orElseGet(() -> index(name, m)));
    }

    /** The model with this name, or an error that suggests the closest installed name. */
    public StoredModel get(ModelName name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /** Records that the model was just used (run, benchmarked). */
    public void markUsed(ModelName name) {
        repository.markUsed(name, clock.instant());
    }

    private static boolean sameProjector(StoredModel row, Manifest m) {
        return java.util.Objects.equals(row.projector() == null ? null : row.projector().digest().toString(),
                m.projector() == null ? null : m.projector().digest());
    }

    /**
     * The files a name holds: the model's blob, and its projector's (null when it has none).
     *
     * @param projectorDigest null when the model has no projector
     */
    public record Installed(Digest digest, Path blob, Digest projectorDigest, Path projector) {
        public Installed(Digest digest, Path blob) {
            this(digest, blob, null, null);
        }
    }

    /** The files a name holds, from its manifest alone (no database read): what starting or reaching its runner needs. */
    public Installed installed(ModelName name) {
        return manifests.read(name).map(m -> checked(name, m)).map(m -> {
            Digest d = Digest.parse(m.digest());
            Digest p = m.projector() == null ? null : Digest.parse(m.projector().digest());
            return new Installed(d, layout.blob(d), p, p == null ? null : layout.blob(p));
        }).orElseThrow(() -> notFound(name));
    }

    /**
     * Why a model cannot be loaded as its files stand, without hashing anything: a linked file gone from where it was
     * linked (its blob may still be another name's copy of the same bytes), or a projector gone or made for a model of
     * another width; empty when it can.
     */
    public Optional<String> loadProblem(StoredModel m, GgufFile model) {
        Optional<Manifest> manifest = manifests.read(m.name());
        Manifest.Link file = manifest.map(Manifest::linked).orElse(null);
        if (file != null && !Files.exists(Path.of(file.path()))) {
            return Optional.of("its linked file " + file.path() + " was moved or deleted");
        }
        if (m.projector() == null) {
            return Optional.empty();
        }
        Manifest.Link link = manifest.map(Manifest::projector).map(Manifest.Projector::linked).orElse(null);
        Path p = link != null ? Path.of(link.path()) : layout.blob(m.projector().digest());
        if (!Files.exists(p)) {
            return Optional.of("its vision projector's file " + (link != null ? p + " " : "") + "was moved or deleted");
        }
        try {
            requireProjector(reader.read(p), p, model);
            return Optional.empty();
        } catch (PaddockException e) {
            return Optional.of(e.getMessage());
        }
    }

    public Path blobPath(StoredModel model) {
        return layout.blob(model.digest());
    }

    /** The model and its full header, for {@code show}. */
    public record Details(StoredModel model, GgufFile file) {}

    public Details show(ModelName name) {
        StoredModel model = get(name);
        return new Details(model, reader.read(blobPath(model)));
    }

    public record RemoveResult(List<ModelName> removed, long freedBytes) {}

    /** Removes the names, then every blob no manifest references. Unknown names fail before anything is removed. */
    public RemoveResult remove(List<ModelName> names) {
        Set<ModelName> unique = new LinkedHashSet<>(names);
        for (ModelName n : unique) {
            if (manifests.read(n).isEmpty()) {
                throw notFound(n);
            }
        }
        try {
            for (ModelName n : unique) {
                manifests.read(n).filter(m -> m.linked() != null).ifPresent(m -> forgetLink(m.linked().path()));
                lock.holding(() -> manifests.delete(n));
                repository.delete(n);
            }
            long freed = cleaner.collect(lock);
            return new RemoveResult(List.copyOf(unique), freed);
        } catch (IOException e) {
            throw StoreLock.failed("cannot remove " + unique, e);
        }
    }

    /** Removes unreferenced blobs and scratch files of dead processes; returns the bytes freed. */
    public long collectGarbage() {
        try {
            return cleaner.collect(lock);
        } catch (IOException e) {
            throw StoreLock.failed("cannot clean " + layout.home(), e);
        }
    }

    private StoredModel index(ModelName name, Manifest manifest) {
        Digest digest = Digest.parse(manifest.digest());
        Path blob = layout.blob(digest);
        if (!Files.isRegularFile(blob)) {
            return null;
        }
        GgufFacts facts = reader.read(blob).facts();
        Instant added = manifest.addedAt() == null ? clock.instant() : Instant.parse(manifest.addedAt());
        StoredModel model = model(name, manifest, facts, added);
        repository.save(model);
        return model;
    }

    private static StoredModel model(ModelName name, Manifest manifest, GgufFacts facts, Instant added) {
        Manifest.Projector p = manifest.projector();
        return new StoredModel(name, Digest.parse(manifest.digest()), manifest.sizeBytes(), manifest.format(),
                facts.architecture(), facts.parameterCount(), facts.quantization(), facts.contextLength(),
                manifest.source(), added, null, p == null ? null : new StoredModel.Projector(Digest.parse(p.digest()), p.sizeBytes()));
    }

    private PaddockException notFound(ModelName name) {
        List<String> known = manifests.all().keySet().stream().map(ModelName::toString).toList();
        String hint = Suggestion.closest(name.toString(), known)
                .map(s -> "; did you mean \"" + s + "\"?")
                .orElse("; \"paddock list\" shows the installed models");
        return PaddockException.notFound("model " + name + " not found" + hint);
    }

    /** Refuses to start writing {@code size} bytes into the home folder when they cannot fit. */
    public void ensureSpace(String what, long size) {
        try {
            Files.createDirectories(layout.home());
            long free = Files.getFileStore(layout.home()).getUsableSpace();
            if (free < size) {
                throw new PaddockException(ErrorCode.STORAGE, "not enough disk space for " + what + ": it needs "
                        + size + " bytes, " + free + " are free in " + layout.home());
            }
        } catch (IOException e) {
            throw StoreLock.failed("cannot use " + layout.home(), e);
        }
    }

    private PaddockException storageFailure(String what, IOException e, long size) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left")) {
            return new PaddockException(ErrorCode.STORAGE, what + ": the disk is full (the model needs " + size
                    + " bytes); nothing was installed — free space and run the command again", e);
        }
        return StoreLock.failed(what, e);
    }

    /**
     * Removes scratch files of imports whose process died (killed mid-copy), so they do not hold disk space
     * until some later removal; run when the store is first opened. Returns the bytes freed.
     */
    public long collectLeftovers() {
        try {
            return cleaner.deadScratchFiles();
        } catch (IOException e) {
            warnings.accept("cannot clean " + layout.tmp() + ": " + e.getMessage());
            return 0;
        }
    }
}
