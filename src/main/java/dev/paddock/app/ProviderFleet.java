package dev.paddock.app;

import dev.paddock.config.PaddockConfig;
import dev.paddock.config.Setting;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.JsonHttp;
import dev.paddock.provider.Provider;
import dev.paddock.provider.Providers;
import dev.paddock.provider.anthropic.AnthropicProvider;
import dev.paddock.provider.gemini.GeminiProvider;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.provider.ollama.OllamaProvider;
import dev.paddock.provider.openai.OpenAiClient;
import dev.paddock.provider.openai.OpenAiProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The providers Paddock talks to: the local store; every {@code [providers.NAME]} section of the config
 * (kind = ollama | openai | anthropic | gemini, url, api_key_env); an Ollama at ollama.url (probed
 * quietly); and the cloud APIs whose standard key variable is set.
 */
final class ProviderFleet {
    private ProviderFleet() {}

    static Providers build(PaddockConfig config, LocalProvider local, Map<String, String> env) {
        List<Provider> all = new ArrayList<>();
        Set<String> quiet = new HashSet<>();
        all.add(local);
        Set<String> kinds = new HashSet<>();
        config.providers().forEach((name, fields) -> {
            if (name.equals(LocalProvider.NAME)) {
                throw PaddockException.invalidInput("provider name \"local\" is reserved for the local store; rename [providers.local]");
            }
            String kind = fields.getOrDefault("kind", "");
            String keyEnv = fields.get("api_key_env");
            String key = keyEnv == null ? null : env.get(keyEnv);
            all.add(create(name, kind, fields.get("url"), key));
            kinds.add(kind);
        });
        if (!kinds.contains("ollama")) {
            all.add(new OllamaProvider("ollama", config.get(Setting.OLLAMA_URL)));
            quiet.add("ollama");
        }
        addCloud(all, kinds, env, "anthropic", "ANTHROPIC_API_KEY");
        addCloud(all, kinds, env, "gemini", "GEMINI_API_KEY");
        addCloud(all, kinds, env, "openai", "OPENAI_API_KEY");
        return new Providers(all, quiet);
    }

    private static void addCloud(List<Provider> all, Set<String> kinds, Map<String, String> env, String kind, String var) {
        String key = env.get(var);
        if (key != null && !key.isBlank() && !kinds.contains(kind)) {
            all.add(create(kind, kind, null, key));
        }
    }

    static Provider create(String name, String kind, String url, String key) {
        return switch (kind) {
            case "ollama" -> new OllamaProvider(name, url != null ? url : OllamaProvider.DEFAULT_URL);
            case "openai" -> {
                String base = url != null ? url : "https://api.openai.com/v1";
                yield new OpenAiProvider(name, base, new OpenAiClient(new JsonHttp(name, Duration.ofSeconds(5)),
                        URI.create(base), key, Duration.ofMinutes(30)));
            }
            case "anthropic" -> new AnthropicProvider(name, url != null ? url : AnthropicProvider.DEFAULT_URL, key);
            case "gemini" -> new GeminiProvider(name, url != null ? url : GeminiProvider.DEFAULT_URL, key);
            default -> throw PaddockException.invalidInput("provider " + name + " has kind \"" + kind
                    + "\"; use ollama, openai, anthropic or gemini");
        };
    }
}
