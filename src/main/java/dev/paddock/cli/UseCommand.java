package dev.paddock.cli;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.RunnerDefaults;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "use", description = "Make a model the active one; it is loaded first, so the switch cannot leave you with none.")
final class UseCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A local model or provider/model.")
    String model;

    @Override
    public Integer call() {
        long begin = System.nanoTime();
        Providers.Target t = root.paddock().providers().resolve(model, LocalProvider.NAME);
        String detail;
        if (t.provider() instanceof LocalProvider local) {
            var loaded = local.load(t.model(), RunnerDefaults.Overrides.NONE);
            detail = loaded.started() ? "loaded in " + Format.millis(loaded.loadTime()) : "already loaded";
        } else {
            boolean known = t.provider().listModels().stream().map(ProviderModel::name).anyMatch(t.model()::equals);
            if (!known) {
                throw PaddockException.notFound(t.provider().name() + " has no model " + t.model());
            }
            detail = "available at " + t.provider().location();
        }
        String previous = root.paddock().activeModel().get().orElse(null);
        root.paddock().activeModel().set(model);
        Duration switchTime = Duration.ofNanos(System.nanoTime() - begin);
        spec.commandLine().getOut().println("active model: " + model + " (" + detail + "; switched in "
                + Format.millis(switchTime) + (previous == null || previous.equals(model) ? "" : ", was " + previous) + ")");
        return 0;
    }
}
