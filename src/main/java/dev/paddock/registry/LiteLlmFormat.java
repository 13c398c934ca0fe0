package dev.paddock.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LiteLLM's {@code model_prices_and_context_window.json}, the price file gateways in this field read: an object
 * whose keys are model names and whose values give USD per token ({@code input_cost_per_token},
 * {@code output_cost_per_token}, {@code cache_read_input_token_cost}), {@code max_input_tokens},
 * {@code max_output_tokens}, {@code mode}, {@code litellm_provider} and {@code supports_*} flags. A missing cost
 * is unknown, never zero. Only providers Paddock can talk to are kept (their LiteLLM names mapped to Paddock's);
 * Bedrock, Azure and the like price the same models under other terms and are left out. A Gemini model listed
 * only under Vertex AI (LiteLLM often files new ones there first) is kept as a Gemini model, its note saying
 * whose list price it is; a Gemini API entry of the same name wins.
 */
public final class LiteLlmFormat {
    /** LiteLLM's provider name → Paddock's. */
    private static final Map<String, String> PROVIDERS = Map.ofEntries(Map.entry("openai", "openai"),
            Map.entry("text-completion-openai", "openai"), Map.entry("anthropic", "anthropic"), Map.entry("gemini", "gemini"),
            Map.entry("deepseek", "deepseek"), Map.entry("mistral", "mistral"), Map.entry("codestral", "mistral"),
            Map.entry("groq", "groq"), Map.entry("openrouter", "openrouter"), Map.entry("xai", "xai"),
            Map.entry("together_ai", "together"), Map.entry("fireworks_ai", "fireworks"), Map.entry("perplexity", "perplexity"),
            Map.entry("cerebras", "cerebras"), Map.entry("deepinfra", "deepinfra"));

    /** LiteLLM's flag → Paddock's capability name, in the order they are listed. */
    private static final List<Map.Entry<String, String>> CAPABILITIES = List.of(Map.entry("supports_vision", "vision"),
            Map.entry("supports_function_calling", "tools"), Map.entry("supports_response_schema", "json"),
            Map.entry("supports_reasoning", "reasoning"), Map.entry("supports_audio_input", "audio"),
            Map.entry("supports_pdf_input", "pdf"), Map.entry("supports_prompt_caching", "caching"));

    private static final String VERTEX = "vertex_ai-language-models";

    private LiteLlmFormat() {}

    /** Whether a parsed file is in this format: an object with at least one model naming its LiteLLM provider. */
    public static boolean looksLike(JsonNode root) {
        if (!root.isObject() || root.has("models")) {
            return false;
        }
        for (JsonNode v : root) {
            if (v.isObject() && v.path("litellm_provider").isTextual()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The entries of providers Paddock knows, as {@code provider/model}, each price stamped with {@code asOf} and
     * {@code source}. Entries that are not objects, or whose numbers are negative, are skipped (LiteLLM's own
     * {@code sample_spec} documents the format with strings in place of numbers).
     */
    public static List<RegistryEntry> parse(JsonNode root, String asOf, String source) {
        Map<String, RegistryEntry> out = new LinkedHashMap<>();
        Map<String, RegistryEntry> vertexOnly = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var field = it.next();
            JsonNode m = field.getValue();
            boolean vertex = VERTEX.equals(m.path("litellm_provider").asText("")) && field.getKey().startsWith("gemini");
            String provider = vertex ? "gemini" : PROVIDERS.get(m.path("litellm_provider").asText(""));
            if (provider == null || !m.isObject()) {
                continue;
            }
            String name = field.getKey().strip();
            String prefix = m.path("litellm_provider").asText() + "/";
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length());
            } else if (name.startsWith(provider + "/")) {
                name = name.substring(provider.length() + 1);
            }
            if (name.isEmpty() || name.length() > 200) {
                continue;
            }
            Double input = perMillion(m, "input_cost_per_token");
            Double output = perMillion(m, "output_cost_per_token");
            String mode = m.path("mode").asText("chat").toLowerCase(Locale.ROOT);
            if (output == null && input != null && mode.equals("embedding")) {
                output = 0.0; // an embedding has no output tokens to price
            }
            Price price = input != null && output != null ? new Price(input, output, perMillion(m, "cache_read_input_token_cost"), asOf,
                    source, null) : null;
            List<String> caps = new ArrayList<>();
            for (var c : CAPABILITIES) {
                if (m.path(c.getKey()).asBoolean(false)) {
                    caps.add(c.getValue());
                }
            }
            if (mode.equals("embedding")) {
                caps.add("embeddings");
            }
            String deprecated = m.path("deprecation_date").isTextual() ? m.get("deprecation_date").asText() : null;
            String note = deprecated != null ? "deprecated on " + deprecated : vertex ? "price as Vertex AI lists it" : null;
            RegistryEntry e = new RegistryEntry(provider + "/" + name, provider, "cloud", null, null, tokens(m, "max_input_tokens", "max_tokens"),
                    tokens(m, "max_output_tokens", null), price, caps, Map.of(), note, null, null, mode, deprecated);
            (vertex ? vertexOnly : out).put(e.id(), e);
        }
        vertexOnly.forEach(out::putIfAbsent);
        return List.copyOf(out.values());
    }

    private static Double perMillion(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
            return null;
        }
        return Math.round(v.asDouble() * 1e6 * 1e6) / 1e6; // per token → per 1M, without floating-point dust
    }

    private static Long tokens(JsonNode m, String field, String fallback) {
        JsonNode v = m.get(field);
        if ((v == null || !v.canConvertToLong()) && fallback != null) {
            v = m.get(fallback);
        }
        return v != null && v.isIntegralNumber() && v.asLong() > 0 ? v.asLong() : null;
    }
}
