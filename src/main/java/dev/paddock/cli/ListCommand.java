package dev.paddock.cli;

import dev.paddock.inventory.InventoryRow;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "list", aliases = "ls", description = "List models: the local store, then every provider's.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--local", description = "Only the local store (no provider is asked).")
    boolean localOnly;

    @Override
    public Integer call() {
        List<InventoryRow> rows = root.paddock().inventory().list(!localOnly, root::warn);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, rows);
            return 0;
        }
        if (rows.isEmpty()) {
            root.err().println("no models yet: \"paddock demo\" adds a small one, \"paddock import FILE\" adds yours");
            return 0;
        }
        Instant now = Instant.now();
        Table t = new Table("NAME", "PROVIDER", "SIZE", "PARAMS", "QUANT", "CONTEXT", "FIT", "ADDED").right(2, 3, 5);
        for (InventoryRow m : rows) {
            t.row(m.name(), m.provider(), m.sizeBytes() == null ? null : Format.bytes(m.sizeBytes()), Format.count(m.parameterCount()),
                    m.quantization(), Format.context(m.contextLength()), m.problem() != null ? "broken"
                            : Boolean.FALSE.equals(m.runnable()) ? "needs engine" : m.fits() == null ? null : m.fits() ? "yes" : "no",
                    m.addedAt() == null ? null : Format.ago(m.addedAt(), now));
        }
        t.print(out);
        return 0;
    }
}
