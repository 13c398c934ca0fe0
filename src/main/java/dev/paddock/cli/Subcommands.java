package dev.paddock.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Paddock's subcommands, in the order help lists them. Building picocli's model of all of them costs more
 * than the rest of an everyday command (reflection over ~25 classes, about 0.15 s), so a command line that
 * names one gets only that one; help, typos and a missing command get them all.
 */
final class Subcommands {
    private record Entry(String name, List<String> aliases, Supplier<Object> make) {}

    private static final List<Entry> ALL = List.of(
            new Entry("pull", List.of(), PullCommand::new), new Entry("pulls", List.of(), PullsCommand::new),
            new Entry("catalog", List.of(), CatalogCommand::new), new Entry("search", List.of(), SearchCommand::new), new Entry("import", List.of(), ImportCommand::new),
            new Entry("list", List.of("ls"), ListCommand::new), new Entry("show", List.of(), ShowCommand::new),
            new Entry("rm", List.of(), RmCommand::new), new Entry("demo", List.of(), DemoCommand::new),
            new Entry("hw", List.of(), HwCommand::new), new Entry("fit", List.of(), FitCommand::new),
            new Entry("registry", List.of(), RegistryCommand::new), new Entry("cost", List.of(), CostCommand::new),
            new Entry("recommend", List.of(), RecommendCommand::new), new Entry("bench", List.of(), BenchCommand::new),
            new Entry("history", List.of(), HistoryCommand::new), new Entry("compare", List.of(), CompareCommand::new),
            new Entry("run", List.of(), RunCommand::new), new Entry("ps", List.of(), PsCommand::new),
            new Entry("stop", List.of(), StopCommand::new), new Entry("use", List.of(), UseCommand::new),
            new Entry("status", List.of(), StatusCommand::new), new Entry("providers", List.of(), ProvidersCommand::new),
            new Entry("engine", List.of(), EngineCommand::new),
            new Entry("config", List.of(), ConfigCommand::new), new Entry("serve", List.of(), ServeCommand::new));

    /** The root options that take a value, so that value is not taken for the command's name. */
    private static final List<String> VALUED = List.of("--home", "--set");

    private Subcommands() {}

    /**
     * Adds the subcommand the arguments name, or every one when they name none that exists (and for
     * {@code help}, which lists or describes them); each gets {@code -h/--help}.
     */
    static void addTo(CommandLine root, String[] args) {
        String named = commandWord(args);
        for (Entry e : ALL) {
            if (named != null && (e.name().equals(named) || e.aliases().contains(named))) {
                add(root, e);
                return;
            }
        }
        for (Entry e : ALL) {
            add(root, e);
        }
        root.addSubcommand("help", new CommandLine.HelpCommand());
        root.addSubcommand("completion", new CompletionCommand());
    }

    private static void add(CommandLine root, Entry e) {
        CommandLine sub = new CommandLine(e.make().get());
        sub.getCommandSpec().mixinStandardHelpOptions(true).versionProvider(new VersionProvider()); // -V answers everywhere
        sub.getSubcommands().values().forEach(nested -> nested.getCommandSpec().mixinStandardHelpOptions(true)
                .versionProvider(new VersionProvider()));
        root.addSubcommand(e.name(), sub); // its @Command aliases come along
    }

    /** The first argument that is neither an option nor an option's value; null when there is none. */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null;
            }
            if (VALUED.contains(a)) {
                i++; // its value
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }
}
