package dev.paddock.cli;

import dev.paddock.engine.Backend;
import dev.paddock.engine.Engine;
import dev.paddock.engine.EngineService;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "engine", description = "Install, list, test, choose and remove llama.cpp engines (llama-server builds).",
        subcommands = {EngineCommand.ListEngines.class, EngineCommand.Install.class, EngineCommand.Use.class,
                EngineCommand.Remove.class, EngineCommand.Test.class})
final class EngineCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Override
    public Integer call() { // a bare "paddock engine" lists them, as "paddock engine list" does
        return new ListEngines().print(root, spec.commandLine().getOut(), false);
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "Installed engines: id, version, backend, size, smoke test, when installed; * marks the default.")
    static final class ListEngines implements Callable<Integer> {
        @ParentCommand EngineCommand parent;
        @Spec CommandSpec spec;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() {
            return print(parent.root, spec.commandLine().getOut(), json);
        }

        int print(PaddockCommand root, PrintWriter out, boolean asJson) {
            EngineService engines = root.paddock().engines();
            List<Engine> all = engines.list();
            Optional<String> def = engines.defaultId();
            if (asJson) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("default", def.orElse(null));
                doc.put("engines", all);
                Json.print(out, doc);
                return 0;
            }
            if (all.isEmpty()) {
                root.err().println("no engine installed: local models run on the embedded llama.cpp " + dev.paddock.runner.EmbeddedEngine.BUILD
                        + "; paddock engine install builds a current llama-server (newer models, 4 requests at once, GPU builds)");
                return 0;
            }
            Table t = new Table("", "ID", "VERSION", "BACKEND", "SIZE", "SMOKE TEST", "INSTALLED", "SOURCE").right(4);
            Instant now = Instant.now();
            for (Engine e : all) {
                t.row(def.filter(e.id()::equals).isPresent() ? "*" : "", e.id(), e.version(), e.backend(), Format.bytes(e.sizeBytes()),
                        e.smokeTest() == null ? "not run" : e.smokeTest().passed() ? "passed" : "FAILED",
                        Format.ago(Instant.parse(e.installedAt()), now), e.source());
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Build (or copy) an engine, smoke-test it, and make it the default if none works yet.")
    static final class Install implements Callable<Integer> {
        @ParentCommand EngineCommand parent;
        @Spec CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "SOURCE", description = "Nothing for the pinned llama.cpp release (npm:"
                + dev.paddock.engine.EngineSource.PINNED_PACKAGE + "@" + dev.paddock.engine.EngineSource.PINNED_VERSION
                + "), npm:PACKAGE@VERSION, a llama.cpp source folder, a source tarball or release archive (file or URL), or a llama-server binary.")
        String source;

        @Option(names = "--backend", paramLabel = "cpu|cuda|vulkan", defaultValue = "cpu", description = "What to build for (default: cpu).")
        String backend;

        @Option(names = "--jobs", paramLabel = "N", description = "Parallel compile jobs (default: one per core).")
        Integer jobs;

        @Option(names = "--sha256", paramLabel = "HEX", description = "The file's SHA-256 (required for a prebuilt engine from a URL).")
        String sha256;

        @Option(names = "--force", description = "Reinstall an engine that is already installed.")
        boolean force;

        @Option(names = "--json", description = "Print the installed engine as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PaddockCommand root = parent.root;
            Backend b = Backend.parse(backend);
            if (jobs != null && jobs < 1) {
                throw new dev.paddock.error.PaddockException(dev.paddock.error.ErrorCode.USAGE, "--jobs must be 1 or more, not " + jobs);
            }
            int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
            EngineBar bar = new EngineBar(root.err());
            EngineService.Installed done;
            try {
                done = root.paddock().engines().install(new EngineService.InstallRequest(source, sha256, b, n, force), bar);
            } finally {
                bar.finish();
            }
            PrintWriter out = spec.commandLine().getOut();
            Engine e = done.engine();
            if (json) {
                Json.print(out, e);
            } else if (e.usable()) {
                out.println("installed engine " + e.id() + " (" + e.version() + ", " + e.backend() + ", " + Format.bytes(e.sizeBytes())
                        + "); smoke test passed" + (e.smokeTest().tokensPerSecond() == null ? ""
                                : String.format(java.util.Locale.ROOT, " at %.0f tokens/s", e.smokeTest().tokensPerSecond())));
                out.println(done.madeDefault() ? "it is the default engine: local models load with it from now on"
                        : "the default stays " + done.previousDefault() + "; paddock engine use " + e.id() + " switches to it");
            } else {
                root.err().println("engine " + e.id() + " was installed but failed its smoke test: " + e.smokeTest().detail()
                        + "; it does not become the default (log: " + root.paddock().engines().store().folder(e.id()).resolve("smoke-test.log") + ")");
                return 1;
            }
            return e.usable() ? 0 : 1; // with --json too: a failed smoke test is a failure
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = "Make an engine the default (loaded models keep theirs until they reload).")
    static final class Use implements Callable<Integer> {
        @ParentCommand EngineCommand parent;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "An engine id from paddock engine list.")
        String id;

        @Override
        public Integer call() {
            Engine e = parent.root.paddock().engines().use(id);
            spec.commandLine().getOut().println("the default engine is now " + e.id() + " (" + e.version() + ")");
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove an engine no loaded model uses.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand EngineCommand parent;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "An engine id from paddock engine list.")
        String id;

        @Override
        public Integer call() {
            EngineService engines = parent.root.paddock().engines();
            boolean wasDefault = engines.defaultId().filter(d -> d.equals(id.strip().toLowerCase(java.util.Locale.ROOT))).isPresent();
            Optional<String> next = engines.remove(id);
            PrintWriter out = spec.commandLine().getOut();
            out.println("removed engine " + id);
            if (wasDefault) {
                out.println(next.map(n -> "the default engine is now " + n)
                        .orElse("no engine is left: local models run on the embedded engine"));
            }
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run an engine's smoke test again: load a generated model, /health, /props, generate tokens.")
    static final class Test implements Callable<Integer> {
        @ParentCommand EngineCommand parent;
        @Spec CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "An engine id (default: the default engine).")
        String id;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() {
            EngineService engines = parent.root.paddock().engines();
            String which = id != null ? id : engines.defaultId().orElseThrow(() -> dev.paddock.error.PaddockException.notFound(
                    "no default engine to test; name one (paddock engine list) or install one: paddock engine install"));
            Engine e = engines.test(which);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, e.smokeTest());
            } else {
                out.println("engine " + e.id() + ": smoke test " + (e.usable() ? "passed" : "FAILED") + " — " + e.smokeTest().detail());
            }
            return e.usable() ? 0 : 1;
        }
    }
}
