import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.gguf.SyntheticLlama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Start-up latency of the everyday commands, as a user meets it: ./paddock (launcher, JDK lookup, class-data
 * archive) on a store of 20 generated models with one benchmark run, no provider reachable. Each command runs
 * RUNS times; the figures are the median and the max, and the median as a multiple of `java -version` and of
 * `paddock --version` measured in the same run (this machine is noisy: compare ratios, not milliseconds).
 */
public class CliLatency {
    static final List<List<String>> COMMANDS = List.of(List.of("--help"), List.of("list", "--local"), List.of("list"), List.of("ps"),
            List.of("status"), List.of("show", "model0:q"), List.of("config"), List.of("catalog"), List.of("registry"), List.of("pulls"),
            List.of("history", "model0:q"));

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path home = Files.createTempDirectory("paddock-cli-latency-");
        Path models = Files.createDirectories(home.resolve("generated"));
        var t = LlamaModelSpec.tiny();
        for (int i = 0; i < 20; i++) {
            Path f = models.resolve("m" + i + ".gguf");
            SyntheticLlama.write(t.withName("m" + i).withSeed(i), f);
            run(home, List.of("./paddock", "import", f.toString(), "--name", "model" + i + ":q"));
        }
        run(home, List.of("./paddock", "--set", "runner.keep_alive=5s", "bench", "model0:q", "--reps", "1", "--gen-tokens", "4",
                "--prompt-tokens", "8"));
        run(home, List.of("./paddock", "stop", "model0:q"));
        double[] load = loadAverage();
        System.out.printf(Locale.ROOT, "machine: %d cores, load average %.2f %.2f %.2f; %d runs each%n",
                Runtime.getRuntime().availableProcessors(), load[0], load[1], load[2], runs);
        long javaMs = median(times(home, List.of(System.getProperty("java.home") + "/bin/java", "-version"), runs));
        long versionMs = median(times(home, List.of("./paddock", "--version"), runs));
        System.out.printf(Locale.ROOT, "%-22s %8s %8s %10s %12s%n", "COMMAND", "MEDIAN", "MAX", "×JAVA", "×--VERSION");
        System.out.printf(Locale.ROOT, "%-22s %6d ms %8s %10s %12s%n", "java -version", javaMs, "", "1.0", "");
        print("paddock --version", times(home, List.of("./paddock", "--version"), runs), javaMs, versionMs);
        for (List<String> c : COMMANDS) {
            List<String> cmd = new ArrayList<>(List.of("./paddock"));
            cmd.addAll(c);
            print("paddock " + String.join(" ", c), times(home, cmd, runs), javaMs, versionMs);
        }
    }

    static void print(String name, List<Long> ms, long javaMs, long versionMs) {
        long med = median(ms);
        System.out.printf(Locale.ROOT, "%-22s %6d ms %5d ms %10.1f %12.2f%n", name, med, Collections.max(ms), (double) med / javaMs,
                (double) med / versionMs);
    }

    static List<Long> times(Path home, List<String> cmd, int runs) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            run(home, cmd);
            out.add((System.nanoTime() - start) / 1_000_000);
        }
        return out;
    }

    static void run(Path home, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PADDOCK_HOME", home.toString());
        pb.environment().put("PADDOCK_OLLAMA_URL", "http://127.0.0.1:9"); // no provider reachable, refused at once
        Process p = pb.start();
        p.getOutputStream().close();
        if (p.waitFor() != 0 && !cmd.contains("--help")) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue());
        }
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static double[] loadAverage() throws Exception {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }
}
