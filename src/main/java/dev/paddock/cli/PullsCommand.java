package dev.paddock.cli;

import dev.paddock.download.DownloadJob;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pulls", description = "List download jobs: queued, running, paused, interrupted, failed, done, cancelled.")
final class PullsCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<DownloadJob> jobs = root.paddock().pulls().jobs();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, jobs.stream().map(j -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", j.id());
                row.put("name", j.name());
                row.put("source", j.source());
                row.put("state", j.displayState());
                row.put("sizeBytes", j.sizeBytes());
                row.put("doneBytes", j.doneBytes());
                row.put("sha256", j.sha256());
                row.put("error", j.error());
                row.put("updatedAt", j.updatedAt().toString());
                return row;
            }).toList());
            return 0;
        }
        if (jobs.isEmpty()) {
            root.err().println("no download jobs; \"paddock catalog\" lists what can be pulled");
            return 0;
        }
        Instant now = Instant.now();
        Table t = new Table("JOB", "NAME", "STATE", "PROGRESS", "UPDATED", "SOURCE");
        for (DownloadJob j : jobs) {
            String progress = j.sizeBytes() == null || j.sizeBytes() == 0 ? Format.bytes(j.doneBytes())
                    : (j.doneBytes() * 100 / j.sizeBytes()) + "% of " + Format.bytes(j.sizeBytes());
            t.row(j.id(), j.name(), j.displayState() + (j.error() == null ? "" : ": " + shorten(j.error())), progress,
                    Format.ago(j.updatedAt(), now), j.source());
        }
        t.print(out);
        return 0;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
