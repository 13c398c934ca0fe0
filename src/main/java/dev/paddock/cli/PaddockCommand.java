package dev.paddock.cli;

import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import dev.paddock.config.Setting;
import dev.paddock.error.PaddockException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "paddock",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Manage, run, benchmark and compare large language models, local and cloud.")
public final class PaddockCommand implements Runnable, AutoCloseable {
    @Option(names = "--verbose", description = "Show diagnostics and stack traces.", scope = picocli.CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Option(names = "--home", paramLabel = "DIR", description = "Paddock's home folder (default: $PADDOCK_HOME or ~/.paddock).",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    String home;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting for this run (see \"paddock config\").",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    List<String> settings = new java.util.ArrayList<>(); // parsed here: picocli's own message for a bad one is garbled

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;
    private final PrintWriter err;
    private Paddock paddock;

    PaddockCommand(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    @Override
    public void run() { // a bare "paddock": what it can do, as "paddock --help" says it
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    boolean verbose() {
        return verbose;
    }

    PaddockConfig config() {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw PaddockException.usage("--set takes KEY=VALUE (\"paddock config\" lists the keys), not \"" + s + "\"");
            }
            flags.put(s.substring(0, eq).strip(), s.substring(eq + 1));
        }
        if (home != null) {
            flags.put(Setting.HOME.key(), home);
        }
        PaddockConfig config = PaddockConfig.load(flags, env);
        String level = config.get(Setting.LOG_LEVEL);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
            throw PaddockException.invalidInput("log.level must be error, warn, info or debug, not \"" + level + "\"");
        }
        // log.level sets every logger, the libraries' too; --verbose only Paddock's own (a migration tool's or a connection
        // pool's debug lines bury what a user asked to see)
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        if (verbose && List.of("error", "warn", "info").contains(level)) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.paddock", "debug");
        }
        if (List.of("error", "warn").contains(level)) { // its "Failed to start" repeats what the error says, in its words
            System.setProperty("org.slf4j.simpleLogger.log.io.javalin.Javalin", "off");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        return config;
    }

    /**
     * Fails, suggesting the closest name, when a reference to a local model names none in the store; references
     * to other providers' models (provider/model) pass (an unknown provider fails).
     */
    void requireKnownModel(String reference) {
        paddock().requireKnownModel(reference);
    }

    /** The services, built on first use. */
    Paddock paddock() {
        if (paddock == null) {
            paddock = new Paddock(config(), env, this::warn, Clock.systemUTC(), false);
        }
        return paddock;
    }

    /** The services for a server: runners it starts stop with it. */
    Paddock serverPaddock() {
        if (paddock == null) {
            paddock = new Paddock(config(), env, this::warn, Clock.systemUTC(), true);
        }
        return paddock;
    }

    Map<String, String> env() {
        return env;
    }

    void warn(String message) {
        err.println("warning: " + message);
    }

    PrintWriter err() {
        return err;
    }

    @Override
    public void close() {
        if (paddock != null) {
            paddock.close();
        }
        paddock = null;
    }
}
