package dev.paddock.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelNameTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            llama3                           | llama3:latest
            llama3:8b                        | llama3:8b
            Llama3:8B                        | llama3:8b
            qwen2.5:0.5b-instruct-q4_k_m     | qwen2.5:0.5b-instruct-q4_k_m
            '  phi3:mini  '                  | phi3:mini
            a:b                              | a:b
            9b.x_y-z:v1.2                    | 9b.x_y-z:v1.2
            tinyllama-1.1b-chat.q4_k_m       | tinyllama-1.1b-chat.q4_k_m:latest
            """)
    void parsesValidNames(String input, String expected) {
        assertThat(ModelName.parse(input).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                   | is empty
            ':tag'               | the family is empty
            'fam:'               | the tag is empty
            '../etc/passwd'      | must start with a letter or digit
            'a/b'                | a path separator '/'
            'a\\b:c'             | a path separator
            'fam:../x'           | must start with a letter or digit
            'a..b'               | contains ".."
            'fam:a..b'           | contains ".."
            'fam.'               | ends with '.'
            'a:b:c'              | more than one ':'
            '-fam'               | must start with a letter or digit
            '.hidden'            | must start with a letter or digit
            'fam:t ag'           | U+0020
            'fam:tag?'           | '?'
            'mödel'              | 'ö'
            """)
    void refusesInvalidNamesSayingWhy(String input, String why) {
        assertThatThrownBy(() -> ModelName.parse(input))
                .isInstanceOf(PaddockException.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((PaddockException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @Test
    void boundsTheLengthOfEachPart() {
        String eighty = "a".repeat(80);
        assertThat(ModelName.parse(eighty + ":" + eighty).family()).hasSize(80);
        assertThatThrownBy(() -> ModelName.parse("a".repeat(81))).hasMessageContaining("longer than 80");
        assertThatThrownBy(() -> ModelName.parse("a:" + "b".repeat(81))).hasMessageContaining("longer than 80");
    }

    @Test
    void controlCharactersAreShownEscapedInTheMessage() {
        assertThatThrownBy(() -> ModelName.parse("bad\u0007name"))
                .hasMessageContaining("bad\\u0007name")
                .hasMessageContaining("U+0007");
    }

    @Test
    void namesThatDifferOnlyInCaseAreEqual() {
        assertThat(ModelName.parse("Qwen2.5:7B")).isEqualTo(ModelName.parse("qwen2.5:7b"));
    }

    @Test
    void suggestsTheClosestKnownName() {
        var known = java.util.List.of("llama3.2:1b", "qwen2.5:0.5b", "phi3:mini");
        assertThat(Suggestion.closest("llama3.2:1", known)).contains("llama3.2:1b");
        assertThat(Suggestion.closest("qwen2.5:0.5", known)).contains("qwen2.5:0.5b");
        assertThat(Suggestion.closest("mistral:7b", known)).isEmpty();
    }

    @Test
    void digestsParseInEveryWrittenForm() {
        String hex = "ab".repeat(32);
        assertThat(Digest.parse("sha256:" + hex)).isEqualTo(new Digest(hex));
        assertThat(Digest.parse("SHA256-" + hex.toUpperCase())).isEqualTo(new Digest(hex));
        assertThat(new Digest(hex).blobFileName()).isEqualTo("sha256-" + hex);
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessageContaining("64 lower-case hex digits");
    }
}
