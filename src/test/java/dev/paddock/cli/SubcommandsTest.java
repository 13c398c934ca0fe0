package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubcommandsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "list --local                    | list",
        "--home /tmp/x list              | list",
        "--set a=b ps --json             | ps",
        "--verbose show m                | show",
        "--home=/tmp/x ls                | ls",
        "--help                          | -",
        "''                              | -",
        "-- list                         | -",
        "--set log.level=debug --verbose | -"})
    void theCommandWordIsTheFirstArgumentThatIsNoOptionNorItsValue(String line, String expected) {
        String[] args = line.isBlank() ? new String[0] : line.strip().split(" +");
        assertThat(Subcommands.commandWord(args)).isEqualTo(expected);
    }
}
