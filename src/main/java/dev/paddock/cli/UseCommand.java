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

    @picocli.CommandLine.Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        ModelSwitcher.Switched s = root.paddock().modelSwitcher().switchTo(model);
        if (json) {
            var m = new java.util.LinkedHashMap<String, Object>();
            m.put("model", model);
            m.put("detail", s.detail());
            m.put("loadMillis", s.loadTime() == null ? null : s.loadTime().toMillis());
            m.put("switchMillis", s.switchTime().toMillis());
            m.put("previous", s.previous());
            Json.print(spec.commandLine().getOut(), m);
            return 0;
        }
        String detail = s.loadTime() != null && s.detail().equals("loaded") ? "loaded in " + Format.millis(s.loadTime()) : s.detail();
        spec.commandLine().getOut().println("active model: " + model + " (" + detail + "; switched in "
                + Format.millis(s.switchTime()) + (s.previous() == null || s.previous().equals(model) ? "" : ", was " + s.previous()) + ")");
        return 0;
    }
}
