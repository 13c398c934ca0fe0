package dev.paddock.cli;

import dev.paddock.model.ModelName;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "rm", description = "Remove models; files no other name uses are deleted.")
final class RmCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Models to remove (family:tag).")
    List<String> names;

    @picocli.CommandLine.Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<ModelName> parsed = names.stream().map(ModelName::parse).toList();
        var result = root.paddock().deletion().remove(parsed);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, java.util.Map.of("removed", result.removed().stream().map(String::valueOf).toList(),
                    "freedBytes", result.freedBytes(), "notes", result.notes()));
            return 0;
        }
        result.removed().forEach(n -> out.println("removed " + n));
        result.notes().forEach(n -> root.err().println("note: " + n));
        out.println("freed " + Format.bytes(result.freedBytes()));
        return 0;
    }
}
