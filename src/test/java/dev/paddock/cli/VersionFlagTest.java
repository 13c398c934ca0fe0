package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionFlagTest {
    @TempDir Path home;

    @Test
    void minusVAnswersTheVersionOnEveryCommandNotJustTheRoot() {
        for (String[] args : new String[][] {{"--version"}, {"list", "-V"}, {"engine", "list", "--version"}, {"registry", "update", "-V"}}) {
            CliRun r = CliRun.of(home, args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).startsWith("paddock ").contains("Java ");
        }
    }
}
