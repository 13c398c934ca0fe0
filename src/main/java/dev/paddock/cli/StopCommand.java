package dev.paddock.cli;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ModelLoader;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "stop", description = "Unload a model now.")
final class StopCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A local model or provider/model.")
    String model;

    @Override
    public Integer call() {
        Providers.Target t = root.paddock().providers().resolve(model, LocalProvider.NAME);
        if (!(t.provider() instanceof ModelLoader loader)) {
            throw PaddockException.invalidInput(t.provider().name() + " does not load models, so there is nothing to stop");
        }
        boolean stopped = loader.unload(t.model());
        spec.commandLine().getOut().println(stopped ? "stopped " + model : model + " was not loaded");
        return 0;
    }
}
