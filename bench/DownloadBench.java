import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import dev.paddock.testing.FaultyFileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * bench/download: a ~1 GiB generated model served on loopback (the tests' own HTTP server, with Range);
 * alternately (a) curl -o FILE URL && sha256sum FILE and (b) paddock pull URL --sha256 HEX. Prints the
 * median of (b)/(a), the pull's peak RSS, and how much a pull killed at ~50% fetches again on resume.
 */
public class DownloadBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createTempDirectory("paddock-download-bench-");
        Path model = work.resolve("model.gguf");
        System.err.println("download: writing a ~1 GiB model…");
        SyntheticLlama.write(LlamaModelSpec.large().withLayers(1024, 18, 2816, 16, 4).withWeights(GgmlType.F32), model);
        long size = Files.size(model);
        String sha = sha256(model);
        try (FaultyFileServer server = new FaultyFileServer().serve("model.gguf", model)) {
            String url = server.url("model.gguf");
            double[] curl = new double[reps];
            double[] pull = new double[reps];
            long peakRssKb = 0;
            for (int i = 0; i < reps; i++) {
                Path out = work.resolve("curl.gguf");
                long t0 = System.nanoTime();
                run(List.of("bash", "-c", "curl -sf -o '" + out + "' '" + url + "' && sha256sum '" + out + "' >/dev/null"), null);
                curl[i] = (System.nanoTime() - t0) / 1e9;
                Files.deleteIfExists(out);

                Path home = work.resolve("home-" + i);
                Path rss = work.resolve("rss");
                long t1 = System.nanoTime();
                run(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString(), "./paddock", "pull", url, "--sha256", sha), home);
                pull[i] = (System.nanoTime() - t1) / 1e9;
                peakRssKb = Math.max(peakRssKb, Long.parseLong(Files.readString(rss).strip().lines().reduce((a, b) -> b).orElse("0")));
                deleteTree(home);
                System.err.printf("  rep %d: curl+sha256sum %.2f s, paddock pull %.2f s%n", i + 1, curl[i], pull[i]);
            }

            // interrupted at ~50%, then resumed
            Path home = work.resolve("home-resume");
            long before = server.bodyBytesSent();
            ProcessBuilder pb = new ProcessBuilder("./paddock", "pull", url, "--sha256", sha)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("PADDOCK_HOME", home.toString());
            Process p = pb.start();
            while (server.bodyBytesSent() - before < size / 2 && p.isAlive()) {
                Thread.sleep(1);
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            long firstPart = server.bodyBytesSent() - before;
            long mark = server.bodyBytesSent();
            run(List.of("./paddock", "pull", url, "--sha256", sha), home);
            long again = server.bodyBytesSent() - mark;
            deleteTree(home);

            double ratio = median(pull) / median(curl);
            System.out.printf("download: %.2f GiB over loopback, %d repetitions%n", size / (double) (1L << 30), reps);
            System.out.printf("  curl -o + sha256sum: median %.2f s; paddock pull --sha256: median %.2f s -> ratio %.2f (target <= 0.8)%n",
                    median(curl), median(pull), ratio);
            System.out.printf("  peak RSS of paddock pull: %.0f MiB (target <= 256)%n", peakRssKb / 1024.0);
            System.out.printf("  killed after %.0f%% had been sent; the resumed pull fetched %.1f%% of the file again (target <= 52%%)%n",
                    100.0 * firstPart / size, 100.0 * again / size);
            boolean ok = ratio <= 0.8 && peakRssKb <= 256 * 1024 && again <= 0.52 * size;
            System.out.println("  verdict: " + (ok ? "targets met" : "TARGET MISSED"));
        }
        deleteTree(work);
    }

    static void run(List<String> cmd, Path home) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (home != null) {
            pb.environment().put("PADDOCK_HOME", home.toString());
        }
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + cmd);
        }
    }

    static String sha256(Path p) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
