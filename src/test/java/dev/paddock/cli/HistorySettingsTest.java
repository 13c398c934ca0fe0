package dev.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistorySettingsTest {
    @Test
    void aRunsSettingsReadAsWordsNotJson() {
        assertThat(HistoryCommand.settings("{\"repetitions\":3,\"promptTokens\":[128,512],\"generationTokens\":64,\"threads\":null,"
                + "\"context\":4096,\"seed\":42,\"temperature\":0.0,\"concurrency\":[1,4],\"requestRate\":null}"))
                .isEqualTo("3 reps, prompt 128/512 tokens, 64 generated, context 4096, seed 42, temperature 0.0, concurrency 1,4");
        assertThat(HistoryCommand.settings("{\"repetitions\":2,\"promptWords\":[64],\"concurrency\":[1]}")).isEqualTo("2 reps, prompt 64 words");
        assertThat(HistoryCommand.settings("not json")).isEqualTo("not json");
    }
}
