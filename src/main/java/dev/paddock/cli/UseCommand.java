package dev.paddock.cli;

import dev.paddock.serving.ModelSwitcher;
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
        ModelSwitcher.Switched s = root.paddock().modelSwitcher().switchTo(model);
        String detail = s.loadTime() != null && s.detail().equals("loaded") ? "loaded in " + Format.millis(s.loadTime()) : s.detail();
        spec.commandLine().getOut().println("active model: " + model + " (" + detail + "; switched in "
                + Format.millis(s.switchTime()) + (s.previous() == null || s.previous().equals(model) ? "" : ", was " + s.previous()) + ")");
        return 0;
    }
}
