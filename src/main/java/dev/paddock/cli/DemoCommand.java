package dev.paddock.cli;

import dev.paddock.store.DemoModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", description = "Add a small generated model to the store, so there is something to try.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        DemoModel.Result r = DemoModel.install(root.paddock().store());
        if (json) {
            Json.print(spec.commandLine().getOut(), java.util.Map.of("created", r.created(), "model", ModelJson.of(r.model())));
            return 0;
        }
        String name = r.model().name().toString();
        spec.commandLine().getOut().println((r.created() ? "created " : "already there: ") + name + " ("
                + Format.count(r.model().parameterCount()) + " parameters, " + Format.bytes(r.model().sizeBytes())
                + "); try \"paddock show " + name + "\"");
        return 0;
    }
}
