package dev.paddock.runner;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.util.List;

/**
 * The embedded llama.cpp engine, through its Java binding: the only class that touches
 * {@code de.kherud.llama}. The binding frees nothing on close and keeps a native thread alive, so one
 * engine lives as long as its runner process.
 */
final class LlamaEngine {
    /** The llama.cpp build the binding bundles. */
    static final String ENGINE_VERSION = "llama.cpp b4916 (de.kherud:llama 4.2.0)";

    private final LlamaModel model;
    private final NativeLog log;
    private final RunnerSettings settings;

    private LlamaEngine(LlamaModel model, NativeLog log, RunnerSettings settings) {
        this.model = model;
        this.log = log;
        this.settings = settings;
    }

    static LlamaEngine load(RunnerSettings s, NativeLog log) {
        ModelParameters params = new ModelParameters()
                .setModel(s.modelPath().toString())
                .setCtxSize(s.contextSize())
                .setThreads(s.threads())
                .setBatchSize(s.batchSize())
                .setGpuLayers(Math.max(0, s.gpuLayers())) // a CPU build: auto and all mean none
                .setSeed(s.seed());
        try {
            return new LlamaEngine(new LlamaModel(params), log, s);
        } catch (RuntimeException e) { // the binding's LlamaException is not public
            List<String> lines = log == null ? List.of() : log.relevantLines(5);
            throw new PaddockException(ErrorCode.INVALID_MODEL, "llama.cpp could not load " + s.modelPath() + ": "
                    + e.getMessage() + (lines.isEmpty() ? "" : " — " + String.join(" | ", lines)), e);
        }
    }

    int contextSize() {
        return settings.contextSize();
    }

    int countTokens(String text) {
        return model.encode(text).length;
    }

    /**
     * The text's token count when it is below {@code limit}, else some number at or above it. Tokenising a
     * huge text costs minutes; its prefixes, doubling from about what the limit could hold, settle a long
     * text after about twice the cost of tokenising what fits. A prefix is taken as over only when it has
     * more than {@code limit} tokens: cutting the text can change the count at the cut by one token, no more.
     */
    int countTokensUpTo(String text, int limit) {
        long prefix = Math.max(4096, 4L * limit);
        while (prefix < text.length()) {
            int end = (int) prefix;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            int n = countTokens(text.substring(0, end));
            if (n > limit) {
                return n;
            }
            prefix *= 2;
        }
        return countTokens(text);
    }

    /** Applies the model's chat template (from its GGUF metadata), or ChatML when it has none. */
    String applyChatTemplate(List<ChatTurn> turns) {
        String system = null;
        List<Pair<String, String>> rest = new java.util.ArrayList<>();
        for (ChatTurn t : turns) {
            if (t.role().equals("system") && system == null && rest.isEmpty()) {
                system = t.content();
            } else {
                rest.add(new Pair<>(t.role(), t.content()));
            }
        }
        InferenceParameters p = new InferenceParameters("").setMessages(system, rest);
        try {
            return model.applyTemplate(p);
        } catch (RuntimeException e) {
            return ChatTurn.chatMl(turns);
        }
    }

    Generation.Result generate(Generation g, Generation.Sink sink) {
        InferenceParameters p = new InferenceParameters(g.prompt())
                .setNPredict(g.maxTokens())
                .setTemperature((float) g.temperature())
                .setTopP((float) g.topP())
                .setTopK(g.topK())
                .setCachePrompt(false);
        if (g.seed() != null) {
            p.setSeed((int) (long) g.seed());
        }
        if (!g.stop().isEmpty()) {
            p.setStopStrings(g.stop().toArray(String[]::new));
        }
        if (log != null) {
            log.clearTimings();
        }
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        boolean cancelled = false;
        LlamaIterator it = (LlamaIterator) model.generate(p).iterator();
        try {
            while (it.hasNext()) {
                LlamaOutput out = it.next();
                tokens++;
                text.append(out.text);
                if (!sink.accept(out.text)) {
                    it.cancel();
                    cancelled = true;
                    break;
                }
            }
        } catch (RuntimeException e) {
            throw new PaddockException(ErrorCode.INTERNAL, "llama.cpp failed while generating: " + e.getMessage(), e);
        }
        NativeLog.Timings timings = cancelled || log == null ? null : log.awaitTimings(500);
        int completion = timings != null ? timings.generatedTokens() : tokens;
        int prompt = timings != null ? timings.promptTokens() : countTokens(g.prompt());
        String finish = cancelled ? "cancelled" : completion >= g.maxTokens() ? "length" : "stop";
        return new Generation.Result(text.toString(), finish, prompt, completion, timings);
    }
}
