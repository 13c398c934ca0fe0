package dev.paddock.cli;

import java.io.OutputStream;
import java.io.PrintStream;
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
        List<List<String>> commands = List.of(List.of("demo"), List.of("list", "--local"), List.of("list"), List.of("list", "--json"),
                List.of("ps"), List.of("status"), List.of("show", "paddock-demo:tiny"), List.of("config"), List.of("catalog"),
                List.of("registry"), List.of("pulls"), List.of("history", "paddock-demo:tiny"), List.of("providers"), List.of("hw"),
                List.of("fit", "paddock-demo:tiny"), List.of("--help"), List.of("pull", "--help"), List.of("nosuchcommand"));
        for (List<String> c : commands) {
            Main.run(sink, sink, env, c.toArray(String[]::new));
        }
    }
}
