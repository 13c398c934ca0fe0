package dev.paddock.cli;

import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.KeepAlive;
import dev.paddock.runner.RunnerDefaults;
import dev.paddock.runner.RunnerSupervisor;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", description = {"Chat with a model: answers a prompt, or without one, a conversation.",
        "Local models load in a runner that stays for the keep-alive; provider/model runs elsewhere.",
        "With --verbose: load time, time to first token, prompt and generation speed."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A local model (family:tag) or provider/model.")
    String model;

    @Parameters(index = "1..*", paramLabel = "PROMPT", description = "The prompt; without it, read stdin or chat.")
    List<String> prompt = new ArrayList<>();

    @Option(names = "--ctx", paramLabel = "N", description = "Context length for a local model.")
    Integer context;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads for a local model.")
    Integer threads;

    @Option(names = "--keep-alive", paramLabel = "DURATION", description = "How long the model stays loaded (5m, 1h, -1).")
    String keepAlive;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate.")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature.")
    Double temperature;

    @Option(names = "--seed", paramLabel = "N", description = "Sampling seed, for repeatable answers.")
    Long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!prompt.isEmpty() || System.console() == null || !System.console().isTerminal()) {
            String text = prompt.isEmpty() ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : String.join(" ", prompt);
            if (text.isBlank()) { // before loading anything: an empty pipe is a mistake, not a prompt
                throw PaddockException.usage("nothing to answer: give a PROMPT, or pipe text on stdin");
            }
            answer(out, List.of(ChatMessage.user(text.strip())), preload());
            return 0;
        }
        Duration load = preload();
        out.flush();
        ChatRepl.Settings settings = new ChatRepl.Settings();
        settings.temperature = temperature;
        settings.maxTokens = maxTokens;
        settings.seed = seed;
        Duration[] firstLoad = {load};
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("paddock")
                    .variable(LineReader.HISTORY_FILE, root.paddock().config().home().resolve("chat-history"))
                    .completer(new StringsCompleter("/help", "/set", "/show", "/clear", "/bye"))
                    .build();
            return new ChatRepl(reader, model, settings, (messages, s, sink) -> {
                ChatResult r = root.paddock().chat().chat(new ChatRequest(model, messages, s.maxTokens, s.temperature, s.seed, List.of(),
                        keepAlive), sink::accept, "cli");
                if (root.verbose()) {
                    printStats(r, firstLoad[0]);
                }
                firstLoad[0] = null;
                return r;
            }).run();
        }
    }

    /** Loads a local model before the first request, so its load time is known and reported apart. */
    private Duration preload() {
        if (dev.paddock.recommend.ModelSelector.isAuto(model)) {
            return null; // chosen per request
        }
        Providers.Target target = root.paddock().providers().resolve(model, LocalProvider.NAME);
        if (!(target.provider() instanceof LocalProvider local)) {
            return null;
        }
        Long keep = keepAlive == null ? null : KeepAlive.parseSeconds(keepAlive);
        RunnerSupervisor.Loaded loaded = local.load(target.model(), new RunnerDefaults.Overrides(context, threads, null, keep, seed));
        return loaded.started() ? loaded.loadTime() : Duration.ZERO;
    }

    private ChatResult answer(PrintWriter out, List<ChatMessage> messages, Duration load) {
        ChatRequest req = new ChatRequest(model, messages, maxTokens, temperature, seed, List.of(), keepAlive);
        ChatResult r = root.paddock().chat().chat(req, text -> {
            out.print(text);
            out.flush();
        }, "cli");
        out.println();
        if (root.verbose()) {
            printStats(r, load);
        }
        return r;
    }

    private void printStats(ChatResult r, Duration load) {
        PrintWriter err = root.err();
        if (load != null) {
            err.printf(Locale.ROOT, "load time:        %s%n", load.isZero() ? "already loaded" : Format.millis(load));
        }
        err.printf(Locale.ROOT, "total:            %s%n", Format.millis(r.total()));
        err.printf(Locale.ROOT, "time to first:    %s%n", r.timeToFirstToken() == null ? "-" : Format.millis(r.timeToFirstToken()));
        ChatResult.EngineTimings t = r.engineTimings();
        if (t != null) {
            err.printf(Locale.ROOT, "prompt eval:      %d tokens, %.1f ms, %.1f tokens/s%n", t.promptTokens(), t.promptMillis(),
                    t.promptTokensPerSecond());
            err.printf(Locale.ROOT, "generation:       %d tokens, %.1f ms, %.1f tokens/s%n", t.generatedTokens(),
                    t.generatedMillis(), t.generatedTokensPerSecond());
        } else if (r.completionTokens() != null) {
            err.printf(Locale.ROOT, "tokens:           %d prompt, %d generated%n", r.promptTokens(), r.completionTokens());
        }
        err.flush();
    }
}
