package dev.paddock.cli;

import dev.paddock.config.ConfigValue;
import dev.paddock.config.PaddockConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "config", description = "Show every setting: its value, where the value came from, what it does.")
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        PaddockConfig config = root.config();
        config.warnings().forEach(root::warn);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var rows = config.all().stream().map(v -> {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("key", v.setting().key());
                row.put("value", v.displayValue());
                row.put("source", v.source().name().toLowerCase(java.util.Locale.ROOT));
                row.put("environment", v.setting().environmentVariable());
                row.put("default", v.setting().defaultValue());
                row.put("description", v.setting().description());
                return row;
            }).toList();
            Json.print(out, rows);
            return 0;
        }
        Table t = new Table("KEY", "VALUE", "SOURCE", "ENVIRONMENT", "DESCRIPTION");
        for (ConfigValue v : config.all()) {
            t.row(v.setting().key(), v.displayValue().isEmpty() ? "(empty)" : v.displayValue(),
                    v.source().name().toLowerCase(java.util.Locale.ROOT), v.setting().environmentVariable(),
                    v.setting().description());
        }
        t.print(out);
        out.println();
        out.println("config file: " + config.home().resolve(PaddockConfig.FILE_NAME) + " (TOML, e.g. [database] url = \"…\")");
        return 0;
    }
}
