package dev.paddock.cli;

import dev.paddock.gguf.GgufFacts;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.FitPlan;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.MemoryEstimate;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fit", description = {"Whether a local model fits this machine, and how to run it.",
        "Memory = weights + KV cache + compute buffer + runtime (see the README for the model and its measured error)."})
final class FitCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A local model (family:tag).")
    String model;

    @Option(names = "--ctx", paramLabel = "N", description = "Context length (default: the model's, at most 4096).")
    Integer context;

    @Option(names = "--kv-type", paramLabel = "TYPE", defaultValue = "f16", description = "KV cache type: f16, q8_0 or q4_0.")
    String kvType;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        ModelName name = ModelName.parse(model);
        if (root.paddock().store().find(name).isEmpty()) {
            var entry = root.paddock().registry().find(name.family() + ":" + name.tag())
                    .or(() -> root.paddock().registry().find(model));
            if (entry.isPresent() && !entry.get().quantizedSizesGb().isEmpty()) {
                return registryFit(entry.get());
            }
        }
        ModelStore.Details d = root.paddock().store().show(name);
        GgufFacts facts = d.file().facts();
        SystemMemory memory = SystemMemory.detect();
        CpuTopology cpu = CpuTopology.detect();
        java.util.List<String> notes = new java.util.ArrayList<>();
        var gpus = dev.paddock.hardware.GpuProbe.detect(dev.paddock.hardware.SystemTool.PROCESS, System.getProperty("os.name"),
                notes::add);
        FitPlan plan = FitPlan.plan(facts, d.file(), FlagValue.parse(() -> FitPlan.requireContext(context)),
                FlagValue.parse(() -> KvCacheType.parse(kvType)), memory, cpu, gpus, d.model().projectorBytes());
        MemoryEstimate e = plan.estimate();
        PrintWriter out = spec.commandLine().getOut();
        var engine = dev.paddock.engine.EngineVerdict.of(d.model().name().toString(), facts, root.paddock().currentEngine());
        if (json) {
            Json.print(out, dev.paddock.hardware.FitReport.of(d.model().name().toString(), plan, memory, notes, engine.runnable(),
                    engine.engine()));
            return engine.runnable() ? 0 : 1;
        }
        Table t = new Table("", "");
        t.row("model", d.model().name() + " (" + facts.architecture() + ", " + Format.count(facts.parameterCount())
                + " parameters, " + facts.quantization() + ")");
        t.row("context", e.context() + (e.context() > plan.trainedContext() ? " (beyond the " + plan.trainedContext()
                + " it was trained for: expect worse answers)" : " (trained for " + plan.trainedContext() + ")"));
        t.row("needs", "~" + Format.bytes(e.expectedBytes()) + " (at worst " + Format.bytes(e.worstCaseBytes()) + ")");
        t.row("  weights", Format.bytes(e.weightsBytes()) + (facts.mixtureOfExperts() ? " (a mixture of " + facts.expertCount()
                + " experts, " + facts.expertUsedCount() + " used per token: " + Format.bytes(facts.activeBytesPerToken())
                + " read per generated token)" : ""));
        t.row("  KV cache", Format.bytes(e.kvCacheBytes()) + " (" + e.kvType().name().toLowerCase(java.util.Locale.ROOT) + ")");
        t.row("  compute", Format.bytes(e.computeBytes()) + " (allocated " + Format.bytes(e.computeWorstCaseBytes()) + ")");
        t.row("  runtime", Format.bytes(e.runtimeBytes()));
        if (e.projectorBytes() > 0) {
            t.row("  projector", Format.bytes(e.projectorBytes()) + " (vision projector; an image is encoded in a buffer of its own)");
        }
        t.row("available", Format.bytes(plan.availableBytes()) + (memory.containerLimitBytes() == null ? " RAM"
                : " RAM (container limit " + Format.bytes(memory.containerLimitBytes()) + ")"));
        t.row("engine", engine.runnable() ? engine.engine() : "none installed can load it: " + engine.reason());
        t.row("verdict", engine.runnable() ? plan.verdict() : dev.paddock.hardware.FitReport.withoutEngine(plan));
        t.row("largest context", plan.largestContext() == 0 ? "none" : String.valueOf(plan.largestContext()));
        String gpuLayers = plan.gpu() == null ? "GPU layers 0 (no GPU found)"
                : plan.gpu().cpuMoeLayers() != null ? "GPU layers all and --n-cpu-moe " + plan.gpu().cpuMoeLayers()
                        + " (the experts of that many layers in CPU memory; runner.engine_args) with a GPU build of the engine"
                : "GPU layers " + plan.gpu().layers() + " with a GPU build of the engine (paddock engine install --backend cuda)";
        t.row("recommended", "threads " + plan.threads() + " (physical cores of " + cpu.model() + "), batch " + plan.batch()
                + ", " + gpuLayers);
        notes.forEach(n -> t.row("note", n));
        t.printRows(out);
        return engine.runnable() && (plan.fits() || (plan.gpu() != null && plan.gpu().layers() > 0)) ? 0 : 1;
    }

    /** A model not downloaded yet: which of its usual quantizations fits (weights + runtime, with room for a KV cache). */
    private int registryFit(dev.paddock.registry.RegistryEntry e) {
        long available = SystemMemory.detect().usableBytes();
        PrintWriter out = spec.commandLine().getOut();
        String best = null;
        long bestBytes = -1;
        Table t = new Table("QUANT", "FILE", "FITS");
        for (var q : e.quantizedSizesGb().entrySet()) {
            long weights = (long) (q.getValue() * 1e9);
            // the KV cache is unknown until the file's header is read: keep a quarter of the weights free for it
            boolean fits = weights + (111L << 20) + weights / 4 <= available;
            if (fits && weights > bestBytes) {
                best = q.getKey();
                bestBytes = weights;
            }
            t.row(q.getKey(), Format.bytes(weights), fits ? "yes" : "no");
        }
        out.println(e.id() + " is not downloaded; from the registry's usual file sizes, with " + Format.bytes(available) + " available:");
        t.print(out);
        out.println(best == null ? "none of its quantizations fits this machine"
                : "best fit: " + best + " (the largest that leaves room for a KV cache); \"paddock catalog " + e.family()
                        + "\" lists files to pull, and \"paddock fit\" on the pulled model gives exact figures");
        return best == null ? 1 : 0;
    }
}
