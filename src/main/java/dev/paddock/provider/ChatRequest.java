package dev.paddock.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.PaddockException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A chat completion request in Paddock's terms; each provider maps it onto its own wire format.
 * Nulls mean "the provider's default". {@code cachePrompt} false asks llama.cpp to evaluate the whole prompt
 * instead of reusing its cache (a benchmark measures the engine, not the cache); other providers ignore it.
 * {@code passThrough} holds the fields of an OpenAI request Paddock does not know, sent on untouched to
 * OpenAI-compatible servers and refused by every other provider. {@code contextSize} is the context a local model is
 * to be loaded with for this request (Ollama's {@code num_ctx}; null: as loaded), which Ollama takes too.
 */
public record ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed,
        List<String> stop, String keepAlive, Boolean cachePrompt, Sampling sampling, ToolUse tools,
        ResponseFormat responseFormat, ObjectNode passThrough, Integer contextSize) {
    public ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed,
            List<String> stop, String keepAlive, Boolean cachePrompt, Sampling sampling, ToolUse tools,
            ResponseFormat responseFormat, ObjectNode passThrough) {
        this(model, messages, maxTokens, temperature, seed, stop, keepAlive, cachePrompt, sampling, tools, responseFormat, passThrough,
                null);
    }

    public ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed,
            List<String> stop, String keepAlive) {
        this(model, messages, maxTokens, temperature, seed, stop, keepAlive, null);
    }

    public ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed,
            List<String> stop, String keepAlive, Boolean cachePrompt) {
        this(model, messages, maxTokens, temperature, seed, stop, keepAlive, cachePrompt, null, null, null, null);
    }

    public ChatRequest {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (stop.contains("")) { // every answer would end before its first token, whichever dialect asked
            throw dev.paddock.error.PaddockException.invalidInput("an empty stop sequence would end the answer before it began;"
                    + " leave it out of the list");
        }
        sampling = sampling == null ? Sampling.DEFAULT : sampling;
        passThrough = passThrough == null || passThrough.isEmpty() ? null : passThrough.deepCopy();
    }

    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, null, null, null, List.of(), null);
    }

    public ChatRequest withModel(String m) {
        return new ChatRequest(m, messages, maxTokens, temperature, seed, stop, keepAlive, cachePrompt, sampling, tools,
                responseFormat, passThrough, contextSize);
    }

    public ChatRequest withoutPromptCache() {
        return new ChatRequest(model, messages, maxTokens, temperature, seed, stop, keepAlive, false, sampling, tools,
                responseFormat, passThrough, contextSize);
    }

    /** This request without the passed-through field {@code field} (a provider that reads it itself takes it out). */
    public ChatRequest withoutPassThrough(String field) {
        if (passThrough == null || !passThrough.has(field)) {
            return this;
        }
        ObjectNode rest = passThrough.deepCopy();
        rest.remove(field);
        return new ChatRequest(model, messages, maxTokens, temperature, seed, stop, keepAlive, cachePrompt, sampling, tools,
                responseFormat, rest, contextSize);
    }

    /** This request with other tools and answer format (the same ones, their schemas rewritten for a provider). */
    public ChatRequest withShapes(ToolUse newTools, ResponseFormat newFormat) {
        return new ChatRequest(model, messages, maxTokens, temperature, seed, stop, keepAlive, cachePrompt, sampling, newTools,
                newFormat, passThrough, contextSize);
    }

    public ChatRequest withSystemFirst(String system) {
        List<ChatMessage> m = new ArrayList<>();
        m.add(ChatMessage.system(system));
        m.addAll(messages);
        return new ChatRequest(model, m, maxTokens, temperature, seed, stop, keepAlive, cachePrompt, sampling, tools,
                responseFormat, passThrough, contextSize);
    }

    /** Parameters beyond plain text chat, by their OpenAI names; a provider honours some of them. */
    public enum Feature {
        TOOLS("tools"), TOOL_CHOICE("tool_choice"), PARALLEL_TOOL_CALLS("parallel_tool_calls"),
        JSON_OBJECT("response_format json_object"), JSON_SCHEMA("response_format json_schema"), IMAGES("image content"),
        TOP_P("top_p"), PRESENCE_PENALTY("presence_penalty"), FREQUENCY_PENALTY("frequency_penalty"),
        LOGPROBS("logprobs"), CHOICES("n above 1"), PASS_THROUGH("other fields"), OPENAI_ONLY("OpenAI's own fields");

        private final String wire;

        Feature(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** The features this request uses. */
    public Set<Feature> features() {
        Set<Feature> used = java.util.EnumSet.noneOf(Feature.class);
        if (tools != null && !tools.tools().isEmpty()) {
            used.add(Feature.TOOLS);
            if (!ToolUse.AUTO.equals(tools.choice())) {
                used.add(Feature.TOOL_CHOICE);
            }
            if (tools.parallel() != null) {
                used.add(Feature.PARALLEL_TOOL_CALLS);
            }
        }
        if (responseFormat != null) {
            used.add(responseFormat.hasSchema() ? Feature.JSON_SCHEMA : Feature.JSON_OBJECT);
        }
        if (messages.stream().anyMatch(m -> !m.images().isEmpty())) {
            used.add(Feature.IMAGES);
        }
        if (sampling.topP() != null) {
            used.add(Feature.TOP_P);
        }
        if (sampling.presencePenalty() != null) {
            used.add(Feature.PRESENCE_PENALTY);
        }
        if (sampling.frequencyPenalty() != null) {
            used.add(Feature.FREQUENCY_PENALTY);
        }
        if (sampling.wantsLogprobs()) {
            used.add(Feature.LOGPROBS);
        }
        if (sampling.choiceCount() > 1) {
            used.add(Feature.CHOICES);
        }
        if (!behaviourFields().isEmpty()) {
            used.add(Feature.PASS_THROUGH);
        }
        if (!openAiOnlyFields().isEmpty()) {
            used.add(Feature.OPENAI_ONLY);
        }
        return used;
    }

    /**
     * Refuses, naming them, the features {@code who} cannot honour: a parameter is never dropped silently.
     * {@code why} says what to do instead (may be empty).
     */
    public void requireOnly(Set<Feature> supported, String who, String why) {
        List<String> refused = features().stream().filter(f -> !supported.contains(f)).map(f -> switch (f) {
            case PASS_THROUGH -> "the field" + (behaviourFields().size() == 1 ? " " : "s ") + String.join(", ", behaviourFields());
            case OPENAI_ONLY -> "the field" + (openAiOnlyFields().size() == 1 ? " " : "s ") + String.join(", ", openAiOnlyFields());
            default -> f.wire();
        }).distinct().toList();
        if (!refused.isEmpty()) {
            throw PaddockException.invalidInput(String.join(", ", refused) + (refused.size() == 1 ? " is" : " are")
                    + " not supported by " + who + (why == null || why.isEmpty() ? "; leave " + (refused.size() == 1 ? "it" : "them")
                    + " out or choose another model" : "; " + why));
        }
    }

    /** Fields that identify or file a request rather than change its answer: dropped, not refused, where a provider has none. */
    private static final Set<String> ADVISORY = Set.of("user", "metadata", "store");

    /** OpenAI's own features (audio, predicted outputs, web search): only OpenAI's servers have them. */
    private static final Set<String> OPENAI_ONLY = Set.of("audio", "prediction", "web_search_options", "modalities");

    /** The passed-through fields only OpenAI honours; {@code modalities: ["text"]} asks for nothing more than text. */
    private List<String> openAiOnlyFields() {
        List<String> out = new ArrayList<>();
        if (passThrough != null) {
            passThrough.fieldNames().forEachRemaining(f -> {
                boolean textOnly = f.equals("modalities") && passThrough.get(f).isArray() && passThrough.get(f).size() == 1
                        && "text".equals(passThrough.get(f).get(0).asText());
                if (OPENAI_ONLY.contains(f) && !textOnly) {
                    out.add(f);
                }
            });
        }
        return out;
    }

    /** The passed-through fields that would change the answer. */
    private List<String> behaviourFields() {
        List<String> out = new ArrayList<>();
        if (passThrough != null) {
            passThrough.fieldNames().forEachRemaining(f -> {
                if (!ADVISORY.contains(f)) {
                    out.add(f);
                }
            });
        }
        return out;
    }

    /** The function a tool result answers, found by its call id among the conversation's calls (some APIs file results by name). */
    public java.util.Optional<String> toolNameOf(String callId) {
        return messages.stream().flatMap(m -> m.toolCalls().stream()).filter(c -> java.util.Objects.equals(c.id(), callId))
                .map(ToolCall::name).findFirst();
    }

    /** Whether the request asks for no tool call at all, though it lists tools. */
    public boolean toolsOff() {
        return tools != null && ToolUse.NONE.equals(tools.choice());
    }
}
