package dev.paddock.cli;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ModelLoader;
import dev.paddock.provider.Provider;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "stop", description = "Unload a model now (--all: every loaded model of every provider).")
final class StopCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MODEL", description = "A local model or provider/model.")
    String model;

    @Option(names = "--all", description = "Unload every loaded model.")
    boolean all;

    @picocli.CommandLine.Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (all == (model != null)) {
            throw PaddockException.usage("name a model to stop, or --all (not both)");
        }
        if (all) {
            List<String> names = new java.util.ArrayList<>();
            for (Provider p : root.paddock().providers().all()) {
                if (p instanceof ModelLoader loader && root.paddock().providers().worthAsking(p)) {
                    for (ModelLoader.LoadedModel m : loader.loadedModels()) {
                        if (loader.unload(m.name())) {
                            names.add(p.name().equals(LocalProvider.NAME) ? m.name() : p.name() + "/" + m.name());
                        }
                    }
                }
            }
            if (json) {
                Json.print(out, java.util.Map.of("stopped", names));
            } else if (names.isEmpty()) {
                out.println("no models were loaded");
            } else {
                names.forEach(n -> out.println("stopped " + n));
            }
            return 0;
        }
        root.requireKnownModel(model); // a typo is an error, not "was not loaded"
        Providers.Target t = root.paddock().providers().resolve(model, LocalProvider.NAME);
        if (!(t.provider() instanceof ModelLoader loader)) {
            throw PaddockException.invalidInput(t.provider().name() + " does not load models, so there is nothing to stop");
        }
        boolean stopped = loader.unload(t.model());
        if (json) {
            Json.print(out, java.util.Map.of("stopped", stopped ? List.of(model) : List.of()));
            return 0;
        }
        out.println(stopped ? "stopped " + model : model + " was not loaded");
        return 0;
    }
}
