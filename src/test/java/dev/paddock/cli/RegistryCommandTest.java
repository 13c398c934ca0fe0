package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.testing.FakeHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCommandTest {
    @TempDir Path home;
    @TempDir Path files;

    private static final String PRICES = """
            {"gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06,
                        "max_input_tokens": 131072, "max_output_tokens": 16384, "supports_vision": true},
             "gpt-9": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 4e-06, "output_cost_per_token": 3.2e-05,
                       "max_input_tokens": 1047576, "max_output_tokens": 200000, "deprecation_date": "2020-01-01"},
             "o9-mystery": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 200000}}
            """;

    @Test
    void updateFromAUrlThenTheTableShowsTheNewPricesWithOneTokenFormatPerColumn() throws Exception {
        try (FakeHttpServer server = new FakeHttpServer().on("GET /p.json", FakeHttpServer.Answer.json(200, PRICES))) {
            CliRun update = CliRun.of(home, "registry", "update", server.url() + "/p.json");

            assertThat(update.exitCode()).as(update.err()).isZero();
            assertThat(update.out()).contains("prices of 3 models as of ", server.url() + "/p.json", "2 new", "1 repriced",
                    "1 without a price", "openai/gpt-4o", "$2.50 in / $10.00 out → $2.00 in / $8.00 out");
        }
        CliRun table = CliRun.of(home, "registry", "--provider", "openai");

        assertThat(table.exitCode()).as(table.err()).isZero();
        String gpt4o = table.out().lines().filter(l -> l.startsWith("openai/gpt-4o ")).findFirst().orElseThrow();
        assertThat(gpt4o.split("\\s+")).containsSequence("openai/gpt-4o", "128K", "16K", "2.00", "8.00");
        String gpt9 = table.out().lines().filter(l -> l.startsWith("openai/gpt-9")).findFirst().orElseThrow();
        assertThat(gpt9).contains("(retired 2020-01-01)", "1.05M", "200K");
        String mystery = table.out().lines().filter(l -> l.startsWith("openai/o9-mystery")).findFirst().orElseThrow();
        assertThat(mystery).contains("unknown").doesNotContain("0.00");
        assertThat(table.err()).contains("prices as of").doesNotContain("bundled");
        // a model only the editorial layer knows is still there
        assertThat(CliRun.of(home, "registry", "--provider", "groq").out()).contains("groq/llama-3.1-8b-instant");
    }

    @Test
    void updateFromAFileAsJsonAndBadSourcesExitNonZeroKeepingThePrices() throws Exception {
        Path file = Files.writeString(files.resolve("prices.json"), PRICES);
        Path html = Files.writeString(files.resolve("page.json"), "<html>nope</html>");

        CliRun json = CliRun.of(home, "registry", "update", file.toString(), "--json");
        CliRun bad = CliRun.of(home, "registry", "update", html.toString());
        CliRun missing = CliRun.of(home, "registry", "update", files.resolve("nope.json").toString());
        CliRun badMode = CliRun.of(home, "registry", "--mode", "chatt");

        assertThat(json.exitCode()).as(json.err()).isZero();
        var r = new ObjectMapper().readTree(json.out());
        assertThat(r.path("models").asInt()).isEqualTo(3);
        assertThat(r.path("added")).extracting(n -> n.asText()).contains("openai/gpt-9", "openai/o9-mystery");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("is not JSON").doesNotContain("nope</html>");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no file");
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(badMode.err()).contains("--mode must be all or one of", "chat");
        // the good file stays in use
        assertThat(CliRun.of(home, "registry", "--provider", "openai").out()).contains("openai/gpt-9");
    }
}
