package dev.paddock.cli;

import dev.paddock.app.Paddock;
import dev.paddock.bench.BenchRun;
import dev.paddock.bench.SpeedSample;
import dev.paddock.config.PaddockConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher's training run for the class-data-sharing archive: the everyday commands, in one JVM, on a
 * scratch home, so that the archive holds the classes each of them loads (one command alone would leave
 * the others to load theirs from the jar). Its output is thrown away.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PADDOCK_OLLAMA_URL", "http://127.0.0.1:9"); // refused at once: the HTTP client's classes load, no wait
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        List<List<String>> commands = List.of(List.of("list", "--local"), List.of("list"), List.of("list", "--json"),
                List.of("ps"), List.of("status"), List.of("show", "paddock-demo:tiny"), List.of("config"), List.of("catalog"),
                List.of("registry"), List.of("pulls"), List.of("history", "paddock-demo:tiny"), List.of("providers"), List.of("hw"),
                List.of("fit", "paddock-demo:tiny"), List.of("--help"), List.of("pull", "--help"), List.of("nosuchcommand"));
        Main.run(sink, sink, env, "demo");
        storeBenchRun(env);
        for (List<String> c : commands) {
            Main.run(sink, sink, env, c.toArray(String[]::new));
        }
    }

    /** A stored speed run of the demo model, so that list, show and history load the classes that summarise runs. */
    private static void storeBenchRun(Map<String, String> env) {
        try (Paddock p = new Paddock(PaddockConfig.load(Map.of(), env), env, w -> {}, Clock.systemUTC(), false)) {
            Instant now = Instant.now();
            List<SpeedSample> samples = List.of(new SpeedSample(1, 128, 64, 900.0, 80.0, 120.0, 12.5, 900.0, List.of(12.0, 13.0), null, null),
                    new SpeedSample(2, 128, 64, 950.0, 82.0, 118.0, 12.2, 890.0, List.of(12.1, 12.4), null, null));
            p.benchRuns().save(new BenchRun("startup-training", "paddock-demo:tiny", "local", null, "F32", "embedded", "{}", "{}", "speed", "1",
                    now, now, "complete", null, samples));
        } catch (RuntimeException e) {
            // only a training run: the archive is a little smaller
        }
    }
}
