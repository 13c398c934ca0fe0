package dev.paddock.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Times a streamed answer from the moment the request is sent: first token, each arrival, the end; and
 * gathers what the stream carries beside the text (reasoning, tool calls in pieces, log-probabilities).
 * Every generated piece counts as an arrival, the answer's text and reasoning and tool-call arguments alike.
 * A request for several answers ({@code n}) has one clock per choice, from {@link #choice}, timed from the same start.
 */
public final class StreamClock {
    private final long start;
    private final Map<Integer, StreamClock> others = new TreeMap<>();
    private final Map<Integer, String> otherFinish = new TreeMap<>();

    public StreamClock() {
        this(System.nanoTime());
    }

    private StreamClock(long start) {
        this.start = start;
    }

    /** The clock of choice {@code index}: this one for the first. */
    public StreamClock choice(int index) {
        return index == 0 ? this : others.computeIfAbsent(index, i -> new StreamClock(start));
    }

    /** How choice {@code index} (above 0) ended; the first choice's reason goes to {@link #finish}. */
    public void finished(int index, String reason) {
        if (index > 0) {
            otherFinish.put(index, reason);
        }
    }
    private final List<Duration> arrivals = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final Map<Integer, PendingCall> calls = new TreeMap<>();
    private ArrayNode logprobs;
    private Integer cachedPromptTokens;
    private String stopSequence;

    private static final class PendingCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    /** Records a piece of text and passes it on; empty pieces count neither as tokens nor as arrivals. */
    public void arrived(String piece, TokenListener listener) {
        if (piece == null || piece.isEmpty()) {
            return;
        }
        arrivals.add(Duration.ofNanos(System.nanoTime() - start));
        text.append(piece);
        listener.token(piece);
    }

    public void reasoning(String piece, TokenListener listener) {
        if (piece == null || piece.isEmpty()) {
            return;
        }
        arrivals.add(Duration.ofNanos(System.nanoTime() - start));
        reasoning.append(piece);
        listener.reasoning(piece);
    }

    /** A piece of tool call {@code index}; its id and name are kept from whichever piece carries them. */
    public void toolCall(int index, String id, String name, String argumentsPiece, TokenListener listener) {
        PendingCall c = calls.computeIfAbsent(index, i -> new PendingCall());
        boolean first = c.name == null && name != null;
        if (id != null && !id.isEmpty() && c.id == null) {
            c.id = id;
        }
        if (name != null && !name.isEmpty() && c.name == null) {
            c.name = name;
        }
        String piece = argumentsPiece == null ? "" : argumentsPiece;
        c.arguments.append(piece);
        if (first || !piece.isEmpty()) {
            arrivals.add(Duration.ofNanos(System.nanoTime() - start));
            listener.toolCall(index, first ? c.id : null, first ? c.name : null, piece);
        }
    }

    /** A whole tool call at once (providers that do not stream arguments in pieces). */
    public void toolCall(String id, String name, String arguments, TokenListener listener) {
        toolCall(calls.size(), id, name, arguments, listener);
    }

    public boolean hasToolCalls() {
        return !calls.isEmpty();
    }

    public void logprobs(JsonNode entries, TokenListener listener) {
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            return;
        }
        if (logprobs == null) {
            logprobs = JsonHttp.JSON.createArrayNode();
        }
        logprobs.addAll((ArrayNode) entries);
        listener.logprobs(entries);
    }

    public void cachedPromptTokens(Integer tokens) {
        cachedPromptTokens = tokens;
    }

    /** The stop string that ended the answer, where the provider says. */
    public void stopSequence(String stop) {
        stopSequence = stop;
    }

    public ChatResult finish(String finishReason, Integer promptTokens, Integer completionTokens,
            ChatResult.EngineTimings timings) {
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        Duration ttft = arrivals.isEmpty() ? null : arrivals.getFirst();
        List<ToolCall> made = new ArrayList<>();
        calls.forEach((i, c) -> made.add(new ToolCall(c.id == null ? "call_" + i : c.id, c.name == null ? "" : c.name,
                c.arguments.toString())));
        List<ChatResult.Choice> alternatives = new ArrayList<>();
        others.forEach((i, c) -> {
            ChatResult r = c.finish(otherFinish.get(i), null, null, null);
            alternatives.add(new ChatResult.Choice(i, r.text(), r.finishReason(), r.toolCalls(), r.reasoning(), r.logprobs()));
        });
        return new ChatResult(text.toString(), finishReason, promptTokens, completionTokens, ttft, total, arrivals, timings,
                made, reasoning.toString(), logprobs, cachedPromptTokens, alternatives, stopSequence);
    }
}
