package dev.paddock.cli;

import dev.paddock.hardware.GpuInfo;
import dev.paddock.hardware.HardwareReport;
import dev.paddock.hardware.SystemTool;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "hw", description = "This machine: CPU and its instruction sets, memory, container limits, GPUs.")
final class HwCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--measure", description = "Measure the memory bandwidth again (it is measured once and cached).")
    boolean measure;

    @Override
    public Integer call() {
        HardwareReport hw = HardwareReport.detect(SystemTool.PROCESS);
        var bandwidth = dev.paddock.hardware.MemoryBandwidth.of(root.paddock().config().home(), hw.cpu(), java.time.Clock.systemUTC(), measure);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var doc = Json.tree(hw);
            doc.set("memoryBandwidth", Json.tree(bandwidth));
            Json.print(out, doc);
            return 0;
        }
        Table t = new Table("", "");
        t.row("cpu", hw.cpu().model() + (hw.cpuMaxFrequencyHz() == null ? ""
                : String.format(Locale.ROOT, ", up to %.2f GHz", hw.cpuMaxFrequencyHz() / 1e9)));
        t.row("cores", hw.cpu().physicalCores() + " physical, " + hw.cpu().logicalCpus() + " logical"
                + (hw.containerCpus() == null ? "" : String.format(Locale.ROOT, " (container limit %.1f CPUs)", hw.containerCpus())));
        t.row("instruction sets", hw.cpu().features().isEmpty() ? "none of note" : String.join(" ", hw.cpu().features()));
        t.row("memory", Format.bytes(hw.memory().totalBytes()) + " total, " + Format.bytes(hw.memory().availableBytes()) + " available"
                + (hw.memory().containerLimitBytes() == null ? "" : " (container limit " + Format.bytes(hw.memory().containerLimitBytes()) + ")"));
        t.row("memory bandwidth", String.format(Locale.ROOT, "%.1f GB/s (read %.1f, copy %.1f; %d threads, measured %s; hw --measure again)",
                bandwidth.gbPerSecond(), bandwidth.readGbPerSecond(), bandwidth.copyGbPerSecond(), bandwidth.threads(), bandwidth.measuredAt().substring(0, Math.min(10, bandwidth.measuredAt().length()))));
        t.row("os", hw.os());
        if (hw.gpus().isEmpty()) {
            t.row("gpus", "none found");
        }
        for (GpuInfo g : hw.gpus()) {
            t.row("gpu " + g.index(), g.name() + " (" + g.vendor() + ")" + (g.memoryTotalBytes() == null ? ""
                    : ", " + Format.bytes(g.memoryTotalBytes()) + (g.unifiedMemory() ? " unified" : "")
                    + (g.memoryFreeBytes() == null ? "" : ", " + Format.bytes(g.memoryFreeBytes()) + " free"))
                    + (g.driver() == null ? "" : ", driver " + g.driver()) + (g.runtimeVersion() == null ? "" : ", CUDA " + g.runtimeVersion())
                    + (g.computeCapability() == null ? "" : ", compute " + g.computeCapability())
                    + (g.powerDrawWatts() == null ? "" : String.format(Locale.ROOT, ", %.0f W of %.0f W", g.powerDrawWatts(),
                            g.powerLimitWatts() == null ? 0 : g.powerLimitWatts())));
        }
        hw.notes().forEach(n -> t.row("note", n));
        t.printRows(out);
        return 0;
    }
}
