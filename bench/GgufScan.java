import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufFile;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import dev.paddock.model.ModelName;
import dev.paddock.store.ImportProgress;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import dev.paddock.store.StoredModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * bench/gguf-scan: a store of N generated models with a 32,000-token vocabulary; times `paddock list
 * --json` against the same command on an empty store (the JVM's start-up, measured in the same run),
 * both with the database index and cold (index deleted, every header read again), and counts the bytes
 * the GGUF reader reads per model against the header size.
 */
public class GgufScan {
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = Files.createTempDirectory("paddock-gguf-scan-");
        Path home = work.resolve("home");
        Path empty = work.resolve("empty");
        Files.createDirectories(empty);
        System.err.printf("gguf-scan: generating %d models in %s…%n", models, home);
        JdbcModelRepository repository =
                new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", ""));
        ModelStore store = new ModelStore(new StoreLayout(home), repository, new GgufReader(), Clock.systemUTC(),
                System.err::println);
        Path scratch = work.resolve("scratch.gguf");
        for (int i = 0; i < models; i++) {
            LlamaModelSpec spec = LlamaModelSpec.tiny().withVocab(32_000).withTiedEmbeddings(true)
                    .withLayers(32, 1, 64, 2, 1).withWeights(GgmlType.F16).withSeed(i);
            SyntheticLlama.write(spec, scratch);
            store.importFile(scratch, ModelName.parse("scan-" + i), false, ImportProgress.NONE);
        }
        Files.delete(scratch);
        runPaddock(empty, "list", "--json"); // creates the empty store's database once

        long[] indexed = new long[reps];
        long[] cold = new long[reps];
        long[] reference = new long[reps];
        for (int r = 0; r < reps; r++) { // alternate, so drift on a noisy machine hits all three alike
            reference[r] = runPaddock(empty, "list", "--json");
            indexed[r] = runPaddock(home, "list", "--json");
            repository.findAll().forEach(m -> repository.delete(m.name())); // drop the index: headers get re-read
            cold[r] = runPaddock(home, "list", "--json");
        }

        GgufReader reader = new GgufReader();
        List<StoredModel> all = store.list();
        long bytesRead = 0;
        long headerBytes = 0;
        long worstOver = Long.MIN_VALUE;
        long start = System.nanoTime();
        for (StoredModel m : all) {
            GgufFile f = reader.read(store.blobPath(m));
            bytesRead += f.bytesRead();
            headerBytes += f.dataOffset();
            worstOver = Math.max(worstOver, f.bytesRead() - f.dataOffset());
        }
        double inProcessMs = (System.nanoTime() - start) / 1e6 / all.size();

        double ref = median(reference);
        double perModelIndexed = (median(indexed) - ref) / models;
        double perModelCold = (median(cold) - ref) / models;
        System.out.printf("gguf-scan: %d models, vocabulary 32000, header %.0f KiB per model, %d repetitions%n",
                models, headerBytes / 1024.0 / all.size(), reps);
        System.out.printf("  reference: paddock list --json on an empty store   median %6.0f ms%n", ref);
        System.out.printf("  paddock list --json (database index)              median %6.0f ms -> %.2f ms per model (target <= 5)%n",
                median(indexed), perModelIndexed);
        System.out.printf("  paddock list --json (cold: every header re-read)  median %6.0f ms -> %.2f ms per model (target <= 5)%n",
                median(cold), perModelCold);
        System.out.printf("  reader in-process: %.2f ms per model; bytes read %.1f KiB per model vs header %.1f KiB "
                        + "(worst case header %+.1f KiB; target <= header + 64 KiB)%n",
                inProcessMs, bytesRead / 1024.0 / all.size(), headerBytes / 1024.0 / all.size(), worstOver / 1024.0);
        boolean ok = perModelIndexed <= 5 && perModelCold <= 5 && worstOver <= 64 * 1024;
        System.out.println("  verdict: " + (ok ? "targets met" : "TARGET MISSED"));
        deleteTree(work);
    }

    private static long runPaddock(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of("paddock").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PADDOCK_HOME", home.toString());
        long start = System.nanoTime();
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("paddock " + String.join(" ", args) + " failed");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
