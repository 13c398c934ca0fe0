package dev.paddock.runner;

import dev.paddock.error.PaddockException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The runner process: loads one model and serves it until its keep-alive passes, its parent dies, or
 * it is told to stop. Protocol with the parent: the access token arrives as the first line on stdin;
 * one line goes back on stdout, {@code PADDOCK-RUNNER-READY <port> [<control port>]} or {@code PADDOCK-RUNNER-FAILED
 * <message>}; everything else (the engine's log included) goes to stderr, which the parent sends to a
 * log file. Unloading means exiting: the binding cannot free a model.
 */
public final class RunnerMain {
    static final String READY = "PADDOCK-RUNNER-READY ";
    static final String FAILED = "PADDOCK-RUNNER-FAILED ";

    private RunnerMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setProperty("sun.net.httpserver.nodelay", "true"); // each streamed token leaves at once
        System.setOut(System.err); // the binding prints to stdout; keep the protocol line clean
        RunnerSettings settings = RunnerSettings.fromArgs(args);
        String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (token == null || token.isBlank()) {
            protocol.println(FAILED + "no access token on stdin");
            System.exit(2);
        }
        ignoreInterrupts();
        Activity activity = new Activity(settings.keepAliveSeconds());
        if (settings.usesLlamaServer()) {
            serveWithLlamaServer(settings, token.strip(), activity, protocol);
            return;
        }
        NativeLog log = NativeLog.capture();
        LlamaEngine engine;
        try {
            engine = LlamaEngine.load(settings, log);
        } catch (PaddockException e) {
            protocol.println(FAILED + e.getMessage().replace('\n', ' '));
            System.exit(2);
            return;
        }
        int port = new RunnerServer(engine, settings.modelName(), token.strip(), activity).start();
        protocol.println(READY + port);
        protocol.flush();
        watch(settings.parentPid(), activity);
    }

    private static void serveWithLlamaServer(RunnerSettings settings, String token, Activity activity, PrintStream protocol)
            throws Exception {
        LlamaServerChild child;
        try {
            child = LlamaServerChild.start(java.nio.file.Path.of(settings.llamaServer()), settings, token, activity,
                    java.time.Duration.ofMinutes(10));
        } catch (PaddockException e) {
            protocol.println(FAILED + e.getMessage().replace('\n', ' '));
            System.exit(2);
            return;
        }
        Process server = child.process();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        child.watchActivity();
        protocol.println(READY + child.port() + " " + child.serveControl());
        protocol.flush();
        watch(settings.parentPid(), activity, server);
    }

    private static void watch(long parentPid, Activity activity) throws InterruptedException {
        watch(parentPid, activity, null);
    }

    /** Exits once idle past the keep-alive, once a watched parent is gone, or once llama-server died. */
    private static void watch(long parentPid, Activity activity, Process engine) throws InterruptedException {
        while (true) {
            Thread.sleep(250);
            boolean orphaned = parentPid > 0 && !ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
            boolean engineGone = engine != null && !engine.isAlive();
            if (orphaned || engineGone || activity.expired()) {
                System.err.println(RunnerLaunch.GOODBYE + (orphaned ? "parent gone" : engineGone
                        ? "llama-server exited with code " + engine.exitValue() : "keep-alive passed") + ")");
                if (engine != null) {
                    engine.destroy();
                }
                System.exit(engineGone ? 1 : 0); // the binding's native thread would keep the JVM alive otherwise
            }
        }
    }

    /** Ctrl-C in the terminal that started the runner must not kill a runner meant to outlive the command. */
    @SuppressWarnings("restriction")
    private static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException | UnsupportedOperationException ignored) {
            // not on this platform
        }
    }
}
