package dev.paddock.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One in-process run of the CLI: exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(Path home, String... args) {
        return withEnv(home, Map.of(), args);
    }

    /** With more environment variables (HF_ENDPOINT, say). */
    static CliRun withEnv(Path home, Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("PADDOCK_HOME", home.toString());
        env.put("HOME", home.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
