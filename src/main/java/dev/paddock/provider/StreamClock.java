package dev.paddock.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Times a streamed answer from the moment the request is sent: first token, each arrival, the end. */
public final class StreamClock {
    private final long start = System.nanoTime();
    private final List<Duration> arrivals = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    /** Records a piece of text and passes it on; empty pieces count neither as tokens nor as arrivals. */
    public void arrived(String piece, TokenListener listener) {
        if (piece == null || piece.isEmpty()) {
            return;
        }
        arrivals.add(Duration.ofNanos(System.nanoTime() - start));
        text.append(piece);
        listener.token(piece);
    }

    public ChatResult finish(String finishReason, Integer promptTokens, Integer completionTokens,
            ChatResult.EngineTimings timings) {
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        Duration ttft = arrivals.isEmpty() ? null : arrivals.getFirst();
        return new ChatResult(text.toString(), finishReason, promptTokens, completionTokens, ttft, total, arrivals, timings);
    }
}
