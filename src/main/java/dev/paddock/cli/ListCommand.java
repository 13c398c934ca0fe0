package dev.paddock.cli;

import dev.paddock.store.StoredModel;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "list", aliases = "ls", description = "List the models in the store.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<StoredModel> models = root.paddock().store().list();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, models.stream().map(ModelJson::of).toList());
            return 0;
        }
        if (models.isEmpty()) {
            root.err().println("no models yet: \"paddock demo\" adds a small one, \"paddock import FILE\" adds yours");
            return 0;
        }
        Instant now = Instant.now();
        Table t = new Table("NAME", "SIZE", "PARAMS", "QUANT", "CONTEXT", "ADDED").right(1, 2, 4);
        for (StoredModel m : models) {
            t.row(m.name(), Format.bytes(m.sizeBytes()), Format.count(m.parameterCount()), m.quantization(),
                    Format.context(m.contextLength()), Format.ago(m.addedAt(), now));
        }
        t.print(out);
        return 0;
    }
}
