package dev.paddock.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaddockConfigTest {
    @TempDir Path home;

    @Test
    void aFlagBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() throws IOException {
        Files.writeString(home.resolve("config.toml"), """
                [database]
                url = "jdbc:sqlite:/from/file.db"
                user = "file-user"

                [log]
                level = "info"
                """);
        Map<String, String> env = Map.of("PADDOCK_HOME", home.toString(), "PADDOCK_DATABASE_USER", "env-user",
                "PADDOCK_LOG_LEVEL", "error");

        PaddockConfig c = PaddockConfig.load(Map.of("log.level", "debug"), env);

        assertThat(c.home()).isEqualTo(home);
        assertThat(value(c, Setting.HOME)).isEqualTo(new ConfigValue(Setting.HOME, home.toString(), ConfigValue.Source.ENVIRONMENT));
        assertThat(c.get(Setting.DATABASE_URL)).isEqualTo("jdbc:sqlite:/from/file.db");
        assertThat(value(c, Setting.DATABASE_URL).source()).isEqualTo(ConfigValue.Source.FILE);
        assertThat(c.get(Setting.DATABASE_USER)).isEqualTo("env-user");
        assertThat(value(c, Setting.LOG_LEVEL).source()).isEqualTo(ConfigValue.Source.FLAG);
        assertThat(c.get(Setting.LOG_LEVEL)).isEqualTo("debug");
        assertThat(value(c, Setting.DATABASE_PASSWORD).source()).isEqualTo(ConfigValue.Source.DEFAULT);
    }

    @Test
    void theDefaultDatabaseLivesInTheHomeFolder() {
        PaddockConfig c = PaddockConfig.load(Map.of("home", home.toString()), Map.of());
        assertThat(c.get(Setting.DATABASE_URL)).isEqualTo("jdbc:sqlite:" + home.resolve("paddock.db"));
    }

    @Test
    void theHomeDefaultsToDotPaddockInTheUsersHome() {
        PaddockConfig c = PaddockConfig.load(Map.of(), Map.of("HOME", home.toString()));
        assertThat(c.home()).isEqualTo(home.resolve(".paddock"));
    }

    @Test
    void secretsAreRedactedForDisplay() {
        PaddockConfig c = PaddockConfig.load(Map.of("home", home.toString(), "database.password", "hunter2"), Map.of());
        assertThat(value(c, Setting.DATABASE_PASSWORD).displayValue()).isEqualTo("********");
    }

    @Test
    void unknownKeysInTheFileAreWarningsAndUnknownFlagsAreErrors() throws IOException {
        Files.writeString(home.resolve("config.toml"), "colour = \"blue\"\n");
        PaddockConfig c = PaddockConfig.load(Map.of("home", home.toString()), Map.of());
        assertThat(c.warnings()).singleElement().asString().contains("unknown setting \"colour\"");

        assertThatThrownBy(() -> PaddockConfig.load(Map.of("colour", "red"), Map.of()))
                .hasMessageContaining("unknown setting \"colour\"");
    }

    @Test
    void aBrokenConfigFileIsNamedInTheError() throws IOException {
        Files.writeString(home.resolve("config.toml"), "[database\nurl = 1\n");
        assertThatThrownBy(() -> PaddockConfig.load(Map.of("home", home.toString()), Map.of()))
                .hasMessageContaining("cannot read the config file " + home.resolve("config.toml"));
    }

    @Test
    void everySettingHasAnEnvironmentVariableAndADescription() {
        assertThat(Setting.ALL).allSatisfy(s -> {
            assertThat(s.environmentVariable()).matches("PADDOCK_[A-Z_]+");
            assertThat(s.description()).isNotBlank();
        });
    }

    private static ConfigValue value(PaddockConfig c, Setting s) {
        return c.all().stream().filter(v -> v.setting() == s).findFirst().orElseThrow();
    }
}
