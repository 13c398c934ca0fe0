package dev.paddock.cli;

import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.store.StoredModel;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        List<StoredModel> stored = root.paddock().store().list();
        List<ProviderModel> remote = new ArrayList<>();
        if (!localOnly) {
            root.paddock().providers().all().stream().filter(p -> !p.name().equals(LocalProvider.NAME)).forEach(p -> {
                try {
                    remote.addAll(p.listModels());
                } catch (dev.paddock.error.PaddockException e) {
                    if (!root.paddock().providers().isQuiet(p.name())) {
                        root.warn("provider " + p.name() + ": " + e.getMessage());
                    }
                }
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> rows = new ArrayList<>(stored.stream().map(ModelJson::of).toList());
            remote.forEach(m -> rows.add(remoteJson(m)));
            Json.print(out, rows);
            return 0;
        }
        if (stored.isEmpty() && remote.isEmpty()) {
            root.err().println("no models yet: \"paddock demo\" adds a small one, \"paddock import FILE\" adds yours");
            return 0;
        }
        Instant now = Instant.now();
        Table t = new Table("NAME", "PROVIDER", "SIZE", "PARAMS", "QUANT", "CONTEXT", "FIT", "ADDED").right(2, 3, 5);
        var memory = dev.paddock.hardware.SystemMemory.detect();
        var cpu = dev.paddock.hardware.CpuTopology.detect();
        var reader = new dev.paddock.gguf.GgufReader();
        for (StoredModel m : stored) {
            var plan = dev.paddock.hardware.FitPlan.plan(reader.read(root.paddock().store().blobPath(m)).facts(), null,
                    dev.paddock.hardware.KvCacheType.F16, memory, cpu);
            t.row(m.name(), LocalProvider.NAME, Format.bytes(m.sizeBytes()), Format.count(m.parameterCount()),
                    m.quantization(), Format.context(m.contextLength()), plan.fits() ? "yes" : "no", Format.ago(m.addedAt(), now));
        }
        for (ProviderModel m : remote) {
            t.row(m.provider() + "/" + m.name(), m.provider(), m.sizeBytes() == null ? null : Format.bytes(m.sizeBytes()),
                    Format.count(m.parameterCount()), m.quantization(), Format.context(m.contextLength()), null, null);
        }
        t.print(out);
        return 0;
    }

    private static Map<String, Object> remoteJson(ProviderModel m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", m.provider() + "/" + m.name());
        row.put("provider", m.provider());
        row.put("sizeBytes", m.sizeBytes());
        row.put("parameterCount", m.parameterCount());
        row.put("quantization", m.quantization());
        row.put("contextLength", m.contextLength());
        row.put("family", m.family());
        return row;
    }
}
