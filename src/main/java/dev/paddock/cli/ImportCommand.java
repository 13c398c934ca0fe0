package dev.paddock.cli;

import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", description = {"Copy a GGUF file into the store (verified, hashed, crash-safe), or with --link use it where it lies.",
        "A linked file is hashed once and never written or deleted by Paddock; rm forgets it; if it moves or its bytes change, "
                + "Paddock says so instead of using it."})
final class ImportCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .gguf file to import.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", description = "Name it family:tag (default: from the file name).")
    String name;

    @Option(names = "--link", description = "Use the file in place instead of copying it into the store.")
    boolean link;

    @Option(names = "--mmproj", paramLabel = "FILE", description = "The model's multimodal projector (an mmproj .gguf), installed "
            + "beside it so the model takes images; with --link it is used where it lies too.")
    Path mmproj;

    @Option(names = "--force", description = "Replace a model of the same name that holds a different file.")
    boolean force;

    @Option(names = "--json", description = "Print the imported model as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ModelName target = name == null ? null : ModelName.parse(name);
        ProgressLine progress = new ProgressLine(root.err(), (link ? "hashing " : "importing ") + file);
        ModelStore.ImportResult result;
        try {
            result = link ? root.paddock().store().linkFile(file, target, force, progress::update, mmproj)
                    : root.paddock().store().importFile(file, file.toAbsolutePath().toString(), target, force, progress::update, mmproj);
        } finally {
            progress.finish();
        }
        var m = result.model();
        if (json) {
            Json.print(spec.commandLine().getOut(), ModelJson.of(m));
        } else if (result.unchanged()) {
            spec.commandLine().getOut().println(m.name() + " is already in the store with the same file ("
                    + m.digest().shortHex() + "); nothing to do");
        } else {
            spec.commandLine().getOut().println((link ? "linked " : "imported ") + m.name() + " (" + Format.bytes(m.sizeBytes()) + ", "
                    + Format.count(m.parameterCount()) + " parameters, " + m.quantization() + ", sha256 "
                    + m.digest().shortHex() + (m.projector() == null ? "" : "; with a vision projector of "
                    + Format.bytes(m.projector().sizeBytes())) + ")");
        }
        return 0;
    }
}
