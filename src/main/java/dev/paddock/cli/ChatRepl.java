package dev.paddock.cli;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatResult;
import dev.paddock.serving.RequestCancelled;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The chat of {@code paddock run MODEL} in a terminal: line editing and history (JLine), {@code /help},
 * {@code /set}, {@code /show}, {@code /clear}, {@code /bye}; Ctrl-C stops the answer being written (the partial
 * answer stays in the conversation), at the prompt it clears the line, and Ctrl-D or {@code /bye} ends.
 */
final class ChatRepl {
    /** What a turn may change: sampling settings and the system prompt ({@code null}: the provider's default). */
    static final class Settings {
        Double temperature;
        Integer maxTokens;
        Long seed;
        String system;
    }

    /** Sends the conversation and streams the answer into {@code sink}; the answer so far stays in {@code sink} if stopped. */
    @FunctionalInterface
    interface Answerer {
        ChatResult answer(List<ChatMessage> messages, Settings settings, java.util.function.Consumer<String> sink);
    }

    private static final String HELP = """
            /help                 this list
            /set                  the settings in effect
            /set temperature T    sampling temperature (0 answers the same way each time)
            /set max-tokens N     most tokens per answer
            /set seed N           sampling seed
            /set system TEXT      a system prompt (/set system with nothing clears it)
            /show                 the model, the settings and the conversation's length
            /clear                forget the conversation (the settings stay)
            /bye                  leave (Ctrl-D too); Ctrl-C stops an answer""";

    private final LineReader reader;
    private final Terminal terminal;
    private final PrintWriter out;
    private final String model;
    private final Answerer answerer;
    private final Settings settings;
    private final List<ChatMessage> history = new ArrayList<>();

    ChatRepl(LineReader reader, String model, Settings settings, Answerer answerer) {
        this.reader = reader;
        this.terminal = reader.getTerminal();
        this.out = terminal.writer();
        this.model = model;
        this.settings = settings;
        this.answerer = answerer;
    }

    int run() {
        out.println("chatting with " + model + "; /help lists commands, /bye or Ctrl-D ends");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine(">>> ");
            } catch (UserInterruptException e) {
                out.println("(Ctrl-C clears the line; /bye or Ctrl-D leaves)");
                continue;
            } catch (EndOfFileException e) {
                return 0;
            }
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (text.startsWith("/")) {
                if (!command(text)) {
                    return 0;
                }
                continue;
            }
            turn(text);
        }
    }

    /** One question and its streamed answer; Ctrl-C meanwhile stops the answer, not the chat. */
    private void turn(String text) {
        history.add(ChatMessage.user(text));
        AtomicBoolean stop = new AtomicBoolean();
        StringBuilder answer = new StringBuilder();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> stop.set(true));
        try {
            answerer.answer(messages(), settings, piece -> {
                if (stop.get()) {
                    throw new RequestCancelled("stopped with Ctrl-C");
                }
                answer.append(piece);
                out.print(piece);
                out.flush();
            });
            out.println();
        } catch (RequestCancelled e) {
            out.println();
            out.println("[stopped]");
        } catch (PaddockException e) {
            out.println();
            out.println("error: " + e.getMessage());
            history.removeLast(); // the question was not answered: asking again should not send it twice
            return;
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            out.flush();
        }
        history.add(ChatMessage.assistant(answer.toString()));
    }

    private List<ChatMessage> messages() {
        if (settings.system == null) {
            return List.copyOf(history);
        }
        List<ChatMessage> all = new ArrayList<>();
        all.add(ChatMessage.system(settings.system));
        all.addAll(history);
        return all;
    }

    /** Runs a /command; false to leave. */
    private boolean command(String text) {
        String[] parts = text.split("\\s+", 3);
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "/bye", "/exit", "/quit" -> {
                return false;
            }
            case "/help", "/?" -> out.println(HELP);
            case "/clear" -> {
                history.clear();
                out.println("the conversation is cleared");
            }
            case "/show" -> out.println("model " + model + "; " + history.size() / 2 + " exchanges; " + describe());
            case "/set" -> set(parts);
            default -> out.println("unknown command " + parts[0] + "; /help lists them");
        }
        out.flush();
        return true;
    }

    private void set(String[] parts) {
        if (parts.length == 1) {
            out.println(describe());
            return;
        }
        String key = parts[1].toLowerCase(Locale.ROOT).replace('_', '-');
        String value = parts.length > 2 ? parts[2].strip() : "";
        if (key.equals("parameter") && !value.isEmpty()) { // Ollama's "/set parameter temperature 0.7"
            set(("/set " + value).split("\\s+", 3));
            return;
        }
        try {
            switch (key) {
                case "temperature" -> {
                    double t = Double.parseDouble(value);
                    if (t < 0 || t > 2) {
                        throw new NumberFormatException();
                    }
                    settings.temperature = t;
                }
                case "max-tokens", "num-predict" -> {
                    int n = Integer.parseInt(value);
                    if (n < 1) {
                        throw new NumberFormatException();
                    }
                    settings.maxTokens = n;
                }
                case "seed" -> settings.seed = Long.parseLong(value);
                case "system" -> settings.system = value.isEmpty() ? null : value.replaceAll("^\"|\"$", "");
                default -> {
                    out.println("unknown setting " + parts[1] + "; /set takes temperature, max-tokens, seed, system");
                    return;
                }
            }
            out.println(describe());
        } catch (NumberFormatException e) {
            out.println("invalid " + parts[1] + " \"" + value + "\": temperature is 0 to 2, max-tokens a whole number from 1, seed a whole number");
        }
    }

    private String describe() {
        return "temperature " + (settings.temperature == null ? "default" : settings.temperature)
                + ", max-tokens " + (settings.maxTokens == null ? "default" : settings.maxTokens)
                + ", seed " + (settings.seed == null ? "random" : settings.seed)
                + ", system " + (settings.system == null ? "none" : "\"" + settings.system + "\"");
    }
}
