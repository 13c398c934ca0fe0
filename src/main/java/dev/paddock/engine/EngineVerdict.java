package dev.paddock.engine;

import dev.paddock.gguf.GgufFacts;
import dev.paddock.runner.EmbeddedEngine;
import java.util.Optional;

/**
 * Which engine would load a model: the current one when installed (or the user's own llama-server), else the
 * embedded llama.cpp if it reads the model's architecture and tensor types; {@code reason} says why none can.
 */
public record EngineVerdict(boolean runnable, String engine, String reason) {

    /** @param current the label of the llama-server that serves local models, empty when there is none */
    public static EngineVerdict of(String model, GgufFacts facts, Optional<String> current) {
        Optional<String> why = EmbeddedEngine.whyNot(model, facts);
        if (current.isPresent() && facts.architecture() != null) { // a current engine reads what the embedded one cannot
            return new EngineVerdict(true, current.get(), null);
        }
        return why.map(w -> new EngineVerdict(false, null, w))
                .orElseGet(() -> new EngineVerdict(true, "embedded llama.cpp " + EmbeddedEngine.BUILD, null));
    }
}
