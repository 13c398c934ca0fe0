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

    @Override
    public Integer call() {
        DemoModel.Result r = DemoModel.install(root.paddock().store());
        String name = r.model().name().toString();
        spec.commandLine().getOut().println((r.created() ? "created " : "already there: ") + name + " ("
                + Format.count(r.model().parameterCount()) + " parameters, " + Format.bytes(r.model().sizeBytes())
                + "); try \"paddock show " + name + "\"");
        return 0;
    }
}
