package dev.paddock.runner;

import java.util.List;

/** Ending a runner's processes: the runner JVM and the llama-server it started, never one without the other. */
final class RunnerProcesses {
    private RunnerProcesses() {}

    /** Asks the runner to exit (it stops its llama-server on the way out); after 5 s ends both. */
    static void stopGracefully(LoadedRunner r) {
        ProcessHandle.of(r.pid()).ifPresent(h -> {
            List<ProcessHandle> children = h.descendants().toList();
            h.destroy();
            try {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                killTree(h);
            }
            children.forEach(ProcessHandle::destroyForcibly); // a llama-server the runner could not stop goes too
        });
    }

    /** Kills a runner and its llama-server: an engine must not outlive the runner that watched it. */
    static void killTree(ProcessHandle h) {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
    }
}
