package dev.paddock.runner;

import java.util.List;

/** One request to the engine: a prompt (chat templates already applied) and sampling settings. */
record Generation(String prompt, int maxTokens, double temperature, double topP, int topK, Long seed,
        List<String> stop) {
    Generation {
        stop = List.copyOf(stop);
    }

    /** What the engine produced, with its own timings where it printed them. */
    record Result(String text, String finishReason, int promptTokens, int completionTokens,
            NativeLog.Timings engineTimings) {}

    /** Receives each piece of text as it is generated; returning false stops the generation. */
    @FunctionalInterface
    interface Sink {
        boolean accept(String text);
    }
}
