package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir Path home;
    @TempDir Path files;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void versionAndHelpWork() {
        CliRun version = CliRun.of(home, "--version");
        CliRun help = CliRun.of(home, "--help");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("paddock ");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("import", "list", "show", "rm", "demo", "config");
    }

    @Test
    void importListShowRemoveRoundTrip() throws Exception {
        Path file = TestModels.tiny(files, "tiny.gguf");

        CliRun imported = CliRun.of(home, "import", file.toString(), "--name", "tiny:f32");
        assertThat(imported.exitCode()).isZero();
        assertThat(imported.out()).startsWith("imported tiny:f32 (3.3 MiB, 854K parameters, F32, sha256 ");

        CliRun list = CliRun.of(home, "list");
        assertThat(list.out().lines().toList()).hasSize(2);
        assertThat(list.out().lines().findFirst().orElseThrow()).matches("NAME +PROVIDER +SIZE +PARAMS +QUANT +CONTEXT +FIT +ADDED");
        assertThat(list.out()).contains("tiny:f32", "local", "3.3 MiB", "854K", "F32", "2K", "yes", "just now");

        JsonNode json = JSON.readTree(CliRun.of(home, "list", "--json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("name").asText()).isEqualTo("tiny:f32");
        assertThat(json.get(0).get("parameterCount").asLong()).isEqualTo(LlamaModelSpec.tiny().parameterCount());
        assertThat(json.get(0).get("sizeBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(json.get(0).get("contextLength").asLong()).isEqualTo(2048);

        CliRun show = CliRun.of(home, "show", "tiny:f32", "--metadata", "--tensors");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("architecture", "llama", "attention heads", "4 (2 KV)",
                "tokenizer.ggml.tokens", "string[261]", "\"<unk>\"", "… 253 more]", "blk.0.attn_q.weight", "128 x 128");

        JsonNode shown = JSON.readTree(CliRun.of(home, "show", "tiny:f32", "--json", "--tensors", "--metadata").out());
        assertThat(shown.at("/facts/blockCount").asLong()).isEqualTo(4);
        assertThat(shown.at("/facts/quantization").asText()).isEqualTo("F32");
        assertThat(shown.get("tensors")).hasSize(39);
        assertThat(shown.at("/metadata/tokenizer.ggml.tokens/count").asLong()).isEqualTo(261);

        CliRun rm = CliRun.of(home, "rm", "tiny:f32");
        assertThat(rm.exitCode()).isZero();
        assertThat(rm.out()).contains("removed tiny:f32", "freed 3.3 MiB");
        assertThat(CliRun.of(home, "list", "--json").out().strip()).isEqualTo("[ ]");
    }

    @Test
    void aNonGgufFileIsAUserErrorWithOneLineAndNoStackTrace() throws Exception {
        Path zip = Files.write(files.resolve("x.bin"), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4});

        CliRun r = CliRun.of(home, "import", zip.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: not a GGUF file: " + zip + " (it is a ZIP archive, such as a PyTorch checkpoint; Paddock needs a .gguf file)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Path zip = Files.write(files.resolve("x.bin"), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4});

        CliRun r = CliRun.of(home, "--verbose", "import", zip.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("GgufFormatException", "\tat dev.paddock.gguf.GgufReader");
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRun unknownOption = CliRun.of(home, "list", "--bogus");
        CliRun noCommand = CliRun.of(home);
        CliRun missingArg = CliRun.of(home, "show");

        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--bogus'", "see \"paddock list --help\"");
        assertThat(noCommand.exitCode()).as("a bare paddock shows what it can do").isZero();
        assertThat(missingArg.exitCode()).isEqualTo(2);
    }

    @Test
    void badNamesAndMissingModelsExitWithOne() {
        CliRun bad = CliRun.of(home, "show", "../etc/passwd");
        CliRun missing = CliRun.of(home, "rm", "nothing-here");

        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: invalid model name \"../etc/passwd\"");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("model nothing-here:latest not found");
        assertThat(home.getParent().resolve("etc")).doesNotExist();
    }

    @Test
    void demoCreatesAModelOnceAndListShowsIt() {
        CliRun first = CliRun.of(home, "demo");
        CliRun second = CliRun.of(home, "demo");

        assertThat(first.out()).startsWith("created paddock-demo:tiny");
        assertThat(second.out()).startsWith("already there: paddock-demo:tiny");
        assertThat(CliRun.of(home, "list").out()).contains("paddock-demo:tiny");
    }

    @Test
    void anEmptyStoreSaysWhatToDoOnStderr() {
        CliRun r = CliRun.of(home, "list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("paddock demo");
    }

    @Test
    void configShowsEverySettingWithItsSource() throws Exception {
        CliRun r = CliRun.of(home, "--set", "log.level=info", "config");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("home", home.toString(), "environment", "database.url", "jdbc:sqlite:", "log.level",
                "info", "flag", "PADDOCK_DATABASE_URL");

        JsonNode json = JSON.readTree(CliRun.of(home, "config", "--json").out());
        assertThat(json.findValuesAsText("key")).contains("home", "database.url", "database.password", "log.level");
        assertThat(Files.exists(home.resolve("paddock.db"))).as("config does not open the database").isFalse();
    }

    @Test
    void anUnknownSettingIsAUserError() {
        CliRun r = CliRun.of(home, "--set", "colour=blue", "list");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unknown setting \"colour\"");
    }

    @Test
    void everyCommandHasHelpAndHelpNamesThemAll() {
        CliRun pullHelp = CliRun.of(home, "pull", "--help");
        CliRun viaHelp = CliRun.of(home, "help", "pull");
        CliRun bare = CliRun.of(home);

        assertThat(pullHelp.exitCode()).as(pullHelp.err()).isZero();
        assertThat(pullHelp.out()).startsWith("Usage: paddock pull").contains("--sha256");
        assertThat(viaHelp.exitCode()).isZero();
        assertThat(viaHelp.out()).isEqualTo(pullHelp.out());
        assertThat(CliRun.of(home, "ls", "-h").out()).startsWith("Usage: paddock list");
        assertThat(bare.exitCode()).isZero();
        assertThat(bare.out()).contains("Usage: paddock", "pull", "serve", "completion");
    }

    @Test
    void theCatalogListsTheCurrentModelsWithSizesAndQuantisationsLeftToThePullSaidSo() throws Exception {
        CliRun table = CliRun.of(home, "catalog", "gemma");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(CliRun.of(home, "catalog", "--json").out());

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("gemma3:4b-it-q4_k_m", "gemma4:e2b-it-q4_k_m", "at pull").doesNotContain(" - ");
        assertThat(table.err()).contains("\"at pull\": the size and SHA-256 come from the host");
        assertThat(CliRun.of(home, "catalog", "smolvlm").out()).contains("best fit");
        assertThat(json).extracting(e -> e.path("name").asText()).contains("qwen3:4b-q4_k_m", "gpt-oss:20b-mxfp4", "qwen3.5:2b-q4_k_m");
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatSuggestsTheNearestOne() {
        CliRun typo = CliRun.of(home, "lsit");

        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).startsWith("error: no command \"lsit\"").contains("did you mean \"paddock list\"?")
                .doesNotContain("Unmatched argument");
        assertThat(CliRun.of(home, "bnech", "x").err()).contains("did you mean \"paddock bench\"?");
        assertThat(CliRun.of(home, "list", "extra").err()).as("an extra argument of a command is still said as such")
                .doesNotContain("no command");
    }

    @Test
    void bashAndZshCompletionScriptsNameTheCommands() {
        CliRun bash = CliRun.of(home, "completion", "bash");
        CliRun zsh = CliRun.of(home, "completion", "zsh");

        assertThat(bash.exitCode()).as(bash.err()).isZero();
        assertThat(bash.out()).contains("complete -F", "pull", "bench", "--prompt-tokens");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit").contains("bashcompinit", "complete -F");
        assertThat(CliRun.of(home, "completion", "fish").exitCode()).isEqualTo(2);
    }
}
