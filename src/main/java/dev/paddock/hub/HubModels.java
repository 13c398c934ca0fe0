package dev.paddock.hub;

import dev.paddock.error.PaddockException;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.gguf.GgufFile;
import dev.paddock.gguf.GgufFormatException;
import dev.paddock.gguf.GgufReader;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.FitPlan;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.model.QuantName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What LM Studio's search does and {@code llama-server -hf repo:quant} needs: a repository's GGUF files grouped
 * by quantisation (split parts as one), each with its size, SHA-256 and whether it fits this machine. The fit
 * comes from the model's own header, read with a ranged request of the first megabytes of one file (every
 * quantisation of a repository shares the architecture; only the weights' size differs), so it is the same
 * estimate {@code paddock fit} gives once the file is here.
 */
public final class HubModels {
    private static final Pattern SPLIT = Pattern.compile("(?i)^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$");
    private static final int[] HEAD_BYTES = {4 << 20, 16 << 20, 64 << 20};

    private final HubClient hub;
    private final Path scratch;

    /** @param scratch a folder of Paddock's home for the header's bytes while they are read */
    public HubModels(HubClient hub, Path scratch) {
        this.hub = hub;
        this.scratch = scratch;
    }

    /** A repository's GGUF choices at a revision, and the model's facts when its header could be read. */
    public record Listing(String repo, String revision, GgufFacts facts, List<QuantChoice> choices, String note) {
        public Listing {
            choices = List.copyOf(choices);
        }
    }

    public List<HubClient.Repo> search(String term, int limit) {
        return hub.search(term, limit);
    }

    public Listing list(HubRef ref, Integer context, KvCacheType kv, SystemMemory memory, CpuTopology cpu) {
        List<QuantChoice> choices = group(hub.files(ref.repo(), ref.revision()));
        if (choices.isEmpty()) {
            throw PaddockException.notFound(ref.repo() + " has no GGUF file" + (ref.revision().equals("main") ? "" : " at " + ref.revision())
                    + "; \"paddock search TERM\" finds repositories that have");
        }
        GgufFacts facts = null;
        String note = null;
        try {
            QuantChoice smallest = choices.stream().min(Comparator.comparingLong(QuantChoice::size)).orElseThrow();
            facts = header(ref, smallest.parts().getFirst()).facts();
        } catch (PaddockException e) {
            note = "no fit estimate: " + e.getMessage();
        }
        List<QuantChoice> fitted = new ArrayList<>();
        QuantChoice best = null;
        for (QuantChoice c : choices) {
            FitPlan plan = facts == null ? null
                    : FitPlan.plan(facts.withWeights(c.quant(), Math.max(0, c.size() - facts.headerBytes())), context, kv, memory, cpu,
                            c.projector() == null ? 0 : c.projector().size()); // a pull brings the projector too
            QuantChoice f = c.withFit(plan, false);
            fitted.add(f);
            if (plan != null && plan.fits() && (best == null || c.size() > best.size())) {
                best = f;
            }
        }
        QuantChoice chosen = best;
        List<QuantChoice> out = fitted.stream().map(c -> c == chosen ? c.withFit(c.fit(), true) : c).toList();
        return new Listing(ref.repo(), ref.revision(), facts, out, note);
    }

    /** The choice a pull of {@code ref} means: the named quantisation, or the largest that fits. */
    public QuantChoice pick(HubRef ref, SystemMemory memory, CpuTopology cpu) {
        Listing l = list(ref, null, KvCacheType.F16, memory, cpu);
        if (ref.quant() != null) {
            return l.choices().stream().filter(c -> c.quant().equalsIgnoreCase(ref.quant())).findFirst()
                    .orElseThrow(() -> PaddockException.notFound(ref.repo() + " has no " + ref.quant() + " file; it has "
                            + String.join(", ", l.choices().stream().map(QuantChoice::quant).toList())));
        }
        return l.choices().stream().filter(QuantChoice::best).findFirst().orElseThrow(() -> PaddockException.invalidInput(
                "no quantisation of " + ref.repo() + " fits this machine" + (l.facts() == null ? " (its header could not be read)" : "")
                        + "; choose one with " + ref.repo() + ":QUANT (\"paddock search " + ref.repo() + "\" lists them)"));
    }

    /** GGUF files grouped into choices, smallest first; vision projectors (mmproj) are not models and are left out. */
    static List<QuantChoice> group(List<HubClient.File> files) {
        Map<String, List<HubClient.File>> byName = new LinkedHashMap<>();
        for (HubClient.File f : files) {
            String name = f.path().substring(f.path().lastIndexOf('/') + 1);
            if (!name.toLowerCase(Locale.ROOT).endsWith(".gguf") || name.toLowerCase(Locale.ROOT).contains("mmproj")) {
                continue;
            }
            Matcher split = SPLIT.matcher(f.path());
            String key = split.matches() ? split.group(1) : f.path().substring(0, f.path().length() - ".gguf".length());
            byName.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        List<QuantChoice> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        byName.forEach((key, parts) -> {
            List<HubClient.File> sorted = parts.stream().sorted(Comparator.comparing(HubClient.File::path)).toList();
            String quant = quantOf(key);
            int n = seen.merge(quant.toUpperCase(Locale.ROOT), 1, Integer::sum);
            String label = n == 1 ? quant : quant + "-" + n; // two files of one quantisation (an imatrix variant, say)
            out.add(new QuantChoice(label, sorted, sorted.stream().mapToLong(HubClient.File::size).sum(), null, false,
                    projector(files, sorted.getFirst().path()).orElse(null)));
        });
        out.sort(Comparator.comparingLong(QuantChoice::size));
        return out;
    }

    /** The repository's projector for a model file (see {@link QuantName#projectorFor}). */
    static java.util.Optional<HubClient.File> projector(List<HubClient.File> files, String modelPath) {
        return QuantName.projectorFor(modelPath, files.stream().map(HubClient.File::path).toList())
                .flatMap(p -> files.stream().filter(f -> f.path().equals(p)).findFirst());
    }

    /** The quantisation named in a file's stem, upper-cased; the stem itself when it names none. */
    static String quantOf(String stem) {
        return QuantName.of(stem);
    }

    /** The header of a file on the Hub, from its first megabytes (more when its metadata is larger). */
    GgufFile header(HubRef ref, HubClient.File file) {
        GgufReader reader = new GgufReader();
        PaddockException last = null;
        for (int bytes : HEAD_BYTES) {
            byte[] head = hub.head(ref.repo(), ref.revision(), file.path(), (int) Math.min(bytes, Math.max(1, file.size())));
            Path tmp = null;
            try {
                Files.createDirectories(scratch);
                tmp = Files.createTempFile(scratch, "hub-head-", ".gguf");
                Files.write(tmp, head);
                return reader.readHead(tmp, Math.max(file.size(), head.length));
            } catch (GgufFormatException e) {
                last = PaddockException.invalidInput(file.path() + " does not begin like a GGUF file, or its header is larger than "
                        + (bytes >> 20) + " MiB");
                if (head.length >= file.size()) {
                    break; // all of it was read: more would not help
                }
            } catch (IOException e) {
                throw PaddockException.storage("cannot write into " + scratch + ": " + e.getMessage(), e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a scratch file; the store's cleaner removes leftovers
                    }
                }
            }
        }
        throw last;
    }
}
