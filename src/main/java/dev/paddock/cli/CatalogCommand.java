package dev.paddock.cli;

import dev.paddock.catalog.CatalogEntry;
import dev.paddock.model.ModelName;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "catalog", description = "List models that can be pulled by name (the bundled catalog and catalog.files).")
final class CatalogCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TERM", description = "Only entries whose name, family or description contain it.")
    String term;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<CatalogEntry> entries = root.paddock().pulls().catalog().search(term);
        Set<String> installed = root.paddock().store().list().stream().map(m -> m.name().toString()).collect(Collectors.toSet());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, entries.stream().map(e -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", e.name());
                row.put("family", e.family());
                row.put("parameters", e.parameters());
                row.put("quantization", e.quantization());
                row.put("sizeBytes", e.sizeBytes());
                row.put("sha256", e.sha256());
                row.put("url", e.url());
                row.put("source", e.source());
                row.put("license", e.license());
                row.put("checked", e.checked());
                row.put("installed", installed.contains(ModelName.parse(e.name()).toString()));
                return row;
            }).toList());
            return 0;
        }
        if (entries.isEmpty()) {
            root.err().println("nothing in the catalog matches \"" + term + "\"");
            return 0;
        }
        Table t = new Table("NAME", "FAMILY", "PARAMS", "QUANT", "SIZE", "SOURCE", "INSTALLED");
        for (CatalogEntry e : entries) {
            // a size the publisher did not state comes with the download (the Hub's metadata), and is verified then
            t.row(e.name(), e.family(), e.parameters(), e.quantization() == null ? "best fit" : e.quantization(),
                    e.sizeBytes() == null ? "at pull" : Format.bytes(e.sizeBytes()), e.source(), installed.contains(e.name()) ? "yes" : "");
        }
        t.print(out);
        if (entries.stream().anyMatch(e -> e.sizeBytes() == null)) {
            root.err().println("\"at pull\": the size and SHA-256 come from the host when the pull starts, and the download is checked against them");
        }
        return 0;
    }
}
