package dev.paddock.cli;

import dev.paddock.download.DownloadJob;
import dev.paddock.download.PullEvent;
import dev.paddock.download.PullService;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.store.StoredModel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pull", description = {"Download a model: a catalog name, an https:// URL, hf://OWNER/REPO[:QUANT] or hf://OWNER/REPO/FILE.gguf.",
        "Resumable, split over several connections, SHA-256 verified; only a verified GGUF is installed.",
        "With --pause, --resume or --cancel: control a download job (see \"paddock pulls\")."})
final class PullCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|URL", description = "What to pull.")
    String what;

    @Option(names = "--name", paramLabel = "NAME", description = "Name it family:tag (default: the catalog name or the file name).")
    String name;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The file's expected SHA-256.")
    String sha256;

    @Option(names = "--force", description = "Replace a model of the same name that holds a different file.")
    boolean force;

    @Option(names = "--no-mmproj", description = "Leave out the repository's vision projector (an hf:// pull fetches it with the model).")
    boolean noProjector;

    @Option(names = "--json", description = "Print the result as JSON (progress stays on stderr).")
    boolean json;

    @ArgGroup(exclusive = true)
    Control control;

    static final class Control {
        @Option(names = "--pause", paramLabel = "JOB", description = "Pause a download job.")
        String pause;

        @Option(names = "--resume", paramLabel = "JOB", description = "Resume a paused, failed or interrupted job.")
        String resume;

        @Option(names = "--cancel", paramLabel = "JOB", description = "Cancel a job and remove its partial data.")
        String cancel;
    }

    @Override
    public Integer call() {
        PullService pulls = root.paddock().pulls();
        PrintWriter out = spec.commandLine().getOut();
        if (control != null && control.pause != null) {
            DownloadJob j = pulls.pause(control.pause);
            if (json) {
                Json.print(out, j);
                return 0;
            }
            out.println((j.state() == DownloadJob.State.PAUSED ? "paused " : "pausing ") + j.id() + " (" + j.name() + ")");
            return 0;
        }
        if (control != null && control.cancel != null) {
            DownloadJob j = pulls.cancel(control.cancel);
            if (json) {
                Json.print(out, j);
                return 0;
            }
            out.println((j.state() == DownloadJob.State.CANCELLED ? "cancelled " : "cancelling ") + j.id() + " (" + j.name() + ")");
            return 0;
        }
        if (what == null && (control == null || control.resume == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to pull: a catalog name, a URL or a job to --resume");
        }
        PullBar bar = new PullBar(root.err());
        if (what != null && pullThroughOllama(bar, out)) {
            return 0;
        }
        AtomicReference<PullEvent.Done> done = new AtomicReference<>();
        AtomicReference<PullEvent.Stopped> stopped = new AtomicReference<>();
        java.util.function.Consumer<PullEvent> events = e -> {
            bar.accept(e);
            if (e instanceof PullEvent.Done d) {
                done.set(d);
            } else if (e instanceof PullEvent.Stopped s) {
                stopped.set(s);
            }
        };
        DownloadJob job = control != null && control.resume != null ? pulls.resume(control.resume, events)
                : pulls.pull(what, name, sha256, force, !noProjector, events);
        if (done.get() != null) {
            PullEvent.Done d = done.get();
            StoredModel m = root.paddock().store().find(dev.paddock.model.ModelName.parse(d.model())).orElse(null);
            if (json) {
                var r = new java.util.LinkedHashMap<String, Object>();
                r.put("job", job.id());
                r.put("unchanged", d.unchanged());
                r.put("model", m == null ? d.model() : ModelJson.of(m));
                Json.print(out, r);
                return 0;
            }
            if (d.unchanged()) {
                out.println(d.model() + " is already installed with the same digest; nothing to do");
            } else {
                out.println("pulled " + d.model() + (m == null ? "" : " (" + Format.bytes(m.sizeBytes()) + ", "
                        + Format.count(m.parameterCount()) + " parameters, " + m.quantization() + ", sha256 " + m.digest().shortHex() + ")"));
            }
            return 0;
        }
        String why = stopped.get() != null ? stopped.get().message() : "the pull ended " + job.state().wire();
        throw new PaddockException(ErrorCode.CONFLICT, job.name() + ": " + why);
    }

    /**
     * {@code ollama/NAME} or {@code ollama:NAME} (any configured Ollama): Ollama pulls it, and its streamed
     * progress is drawn with the same bar. Returns false when {@code what} names no Ollama.
     */
    private boolean pullThroughOllama(PullBar bar, PrintWriter out) {
        for (char sep : new char[] {'/', ':'}) {
            int i = what.indexOf(sep);
            if (i <= 0) {
                continue;
            }
            var provider = root.paddock().providers().byName(what.substring(0, i));
            if (provider.isPresent() && provider.get() instanceof dev.paddock.provider.ollama.OllamaProvider ollama) {
                String model = what.substring(i + 1);
                String job = "ollama";
                dev.paddock.download.ProgressMeter meter = new dev.paddock.download.ProgressMeter();
                ollama.pull(model, (status, completed, total) -> {
                    double speed = meter.bytesPerSecond(completed);
                    Long size = total > 0 ? total : null;
                    bar.accept(new PullEvent.Progress(job, total > 0 ? "downloading" : status, completed, size, speed,
                            dev.paddock.download.ProgressMeter.eta(completed, size, speed)));
                });
                bar.accept(new PullEvent.Done(job, model, null, false));
                if (json) {
                    Json.print(out, java.util.Map.of("model", model, "provider", ollama.name(), "location", String.valueOf(ollama.location())));
                } else {
                    out.println("pulled " + model + " into " + ollama.name() + " (" + ollama.location() + ")");
                }
                return true;
            }
        }
        return false;
    }
}
