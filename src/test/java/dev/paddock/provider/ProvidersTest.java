package dev.paddock.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.provider.ollama.OllamaProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProvidersTest {
    private static Provider named(String name) {
        return new OllamaProvider(name, "http://127.0.0.1:9");
    }

    private final Providers fleet = new Providers(List.of(named("local"), named("ollama"), named("groq")), Set.of("ollama"));

    @Test
    void resolvesProviderPrefixesWithSlashOrColonAndTheRestLocally() {
        assertThat(fleet.resolve("ollama/llama3.2:1b", "local")).satisfies(t -> {
            assertThat(t.provider().name()).isEqualTo("ollama");
            assertThat(t.model()).isEqualTo("llama3.2:1b");
        });
        assertThat(fleet.resolve("groq:llama-3.1-8b-instant", "local").provider().name()).isEqualTo("groq");
        assertThat(fleet.resolve("groq/meta-llama/llama-4", "local").model()).isEqualTo("meta-llama/llama-4");
        assertThat(fleet.resolve("qwen2.5:0.5b", "local")).satisfies(t -> {
            assertThat(t.provider().name()).isEqualTo("local");
            assertThat(t.model()).isEqualTo("qwen2.5:0.5b");
        });
    }

    @Test
    void anUnknownProviderPrefixSuggestsTheClosest() {
        assertThatThrownBy(() -> fleet.resolve("olama/llama3", "local")).hasMessage("no provider named \"olama\"; did you mean \"ollama\"?");
    }

    @Test
    void unreachableProvidersWarnUnlessQuiet() {
        List<String> warnings = new ArrayList<>();
        assertThat(fleet.listAll(warnings::add)).isEmpty();
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).doesNotStartWith("provider ollama"));
    }
}
