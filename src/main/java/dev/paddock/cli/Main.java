package dev.paddock.cli;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Entry point: {@code paddock …}. {@link #run} does the work so tests can call it in-process. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, System.getenv(), args));
    }

    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            for (String line : new VersionProvider().getVersion()) { // without picocli's start-up, the tenth of a second it costs
                o.println(line);
            }
            o.flush();
            return 0;
        }
        PaddockCommand root = new PaddockCommand(env, e);
        CommandLine cli = new CommandLine(root);
        Subcommands.addTo(cli, args); // before the settings below, which apply to the commands present
        cli.setOut(o)
                .setErr(e)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, root.verbose(), e))
                .setParameterExceptionHandler((ex, ignored) -> usage(ex, e));
        try {
            return cli.execute(args);
        } finally {
            root.close();
            o.flush();
            e.flush();
        }
    }

    private static int failure(Exception ex, boolean verbose, PrintWriter err) {
        if (ex instanceof PaddockException p) {
            err.println("error: " + p.getMessage());
            if (verbose) {
                p.printStackTrace(err);
            }
            return p.code().exitCode();
        }
        err.println("internal error: " + ex + (verbose ? "" : " (run with --verbose for details; please report it)"));
        if (verbose) {
            ex.printStackTrace(err);
        }
        return ErrorCode.INTERNAL.exitCode();
    }

    private static int usage(CommandLine.ParameterException ex, PrintWriter err) {
        CommandLine cmd = ex.getCommandLine();
        boolean unknownCommand = ex instanceof CommandLine.UnmatchedArgumentException u && cmd.getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-");
        // picocli's words ("Unmatched argument at index 0") are about its parser, not about what the user typed
        err.println("error: " + (unknownCommand ? "no command \"" + ((CommandLine.UnmatchedArgumentException) ex).getUnmatched().getFirst()
                + "\"" : ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && cmd.getParent() == null && !u.getUnmatched().isEmpty()) {
            var names = cmd.getSubcommands().values().stream().map(CommandLine::getCommandName).distinct().toList(); // not aliases
            dev.paddock.model.Suggestion.closest(u.getUnmatched().getFirst(), names)
                    .ifPresent(s -> err.println("did you mean \"paddock " + s + "\"?"));
        }
        err.println("see \"" + cmd.getCommandSpec().qualifiedName() + " --help\"");
        return ErrorCode.USAGE.exitCode();
    }
}
