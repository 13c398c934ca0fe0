package dev.paddock.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ResponseFormat;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolUse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SchemaPatternsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANY = "[^\\x22\\x5C\\x00-\\x1F]*";

    private static String t(String pattern) {
        return SchemaPatterns.translate(pattern, "the schema");
    }

    @Test
    void anchoredPatternsInLlamaCppsTermsStayAsTheyAre() {
        for (String p : List.of("^[a-z]+$", "^(?:ab|cd){2,3}$", "^\\.\\*x[\\]\\-]?$", "^$", "^\\x41\\u00e9$")) {
            assertThat(t(p)).as(p).isEqualTo(p);
        }
    }

    @Test
    void shorthandClassesAndEscapedPunctuationAreWrittenOut() {
        assertThat(t("^\\d{3}-\\d{4}$")).isEqualTo("^[0-9]{3}-[0-9]{4}$");
        assertThat(t("^[\\w.]+@[\\w-]+\\.[a-z]{2,}$")).isEqualTo("^[a-zA-Z0-9_.]+@[a-zA-Z0-9_-]+\\.[a-z]{2,}$");
        assertThat(t("^\\S+\\s\\D$")).isEqualTo("^[^ \\t\\n\\r\\x0C\\x0B]+[ \\t\\n\\r\\x0C\\x0B][^0-9]$");
        assertThat(t("^https?:\\/\\/[^\\/]+$")).isEqualTo("^https?:\\x2F\\x2F[^\\x2F]+$");
        assertThat(t("^[\\^a]{1}}$")).as("an escaped ^ in a class, a } that ends nothing").isEqualTo("^[\\x5Ea]{1}\\x7D$");
    }

    @Test
    void unanchoredPatternsMatchWhereverTheyFindAMatchOnOneLine() {
        assertThat(t("[0-9]+")).isEqualTo("^" + ANY + "(?:[0-9]+)" + ANY + "$");
        assertThat(t("^ab")).isEqualTo("^(?:ab)" + ANY + "$");
        assertThat(t("cd$")).isEqualTo("^" + ANY + "(?:cd)$");
        assertThat(t("a|b")).isEqualTo("^" + ANY + "(?:a|b)" + ANY + "$");
        assertThat(t("x\\$")).as("an escaped $ is a character, not an anchor").isEqualTo("^" + ANY + "(?:x\\$)" + ANY + "$");
        // what the translation accepts, the original accepts too (JSON Schema patterns are ECMA-262's, found anywhere)
        for (String p : List.of("[0-9]+", "^ab", "cd$", "a|b", "\\d\\.\\d", "[\\w-]+@")) {
            Pattern original = Pattern.compile(p);
            Pattern translated = Pattern.compile(t(p));
            for (String s : List.of("", "ab", "xab", "abx", "cd", "xcd", "cdx", "a", "zzbzz", "1.5", "v1.5x", "me@x", "-@", "12")) {
                if (translated.matcher(s).matches()) {
                    assertThat(original.matcher(s).find()).as(p + " on " + s).isTrue();
                } else {
                    assertThat(original.matcher(s).find()).as(p + " on " + s + ": a match is kept").isFalse();
                }
            }
        }
    }

    @Test
    void whatNoGrammarExpressesIsA400NamingThePatternAndWhy() {
        assertThatThrownBy(() -> t("^(?<=a)b$")).isInstanceOf(PaddockException.class)
                .hasMessage("the pattern \"^(?<=a)b$\" in the schema cannot be enforced by a local model's grammar: it has a lookaround,"
                        + " a named group or inline flags; use a pattern without it, or leave the pattern out");
        assertThatThrownBy(() -> t("^\\d+(?!x)$")).hasMessageContaining("lookaround");
        assertThatThrownBy(() -> t("^(a)\\1$")).hasMessageContaining("has \\1 (a word boundary, backreference");
        assertThatThrownBy(() -> t("\\bword\\b")).hasMessageContaining("has \\b");
        assertThatThrownBy(() -> t("^[\\D]$")).hasMessageContaining("\\D inside a character class");
        assertThatThrownBy(() -> t("^a|^b$")).hasMessageContaining("an anchor inside it");
        assertThatThrownBy(() -> t("^\\p{L}+$")).hasMessageContaining("has \\p");
        assertThatThrownBy(() -> t("^a\\")).hasMessageContaining("lone backslash");
        assertThatThrownBy(() -> t("^\\x4$")).hasMessageContaining("needs 2 hex digits");
    }

    @Test
    void everyPatternOfTheAnswersSchemaAndOfTheToolsParametersIsTranslatedAndNothingElse() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {
                  "phone": {"type": "string", "pattern": "^\\\\d{3}$"},
                  "pattern": {"type": "string", "pattern": "[a-z]"},
                  "tags": {"type": "array", "items": {"anyOf": [{"type": "string", "pattern": "^\\\\w+$"}, {"type": "null"}]}},
                  "kind": {"enum": [{"pattern": "\\\\d"}], "default": {"pattern": "\\\\d"}}}}""");
        JsonNode params = JSON.readTree("{\"type\": \"object\", \"properties\": {\"zip\": {\"type\": \"string\", \"pattern\": \"\\\\d{5}\"}}}");
        ChatRequest request = new ChatRequest("m", List.of(ChatMessage.user("hi")), null, null, null, List.of(), null, null, null,
                new ToolUse(List.of(new Tool("f", null, params, null), new Tool("g", null, null, null)), null, null, null),
                new ResponseFormat(ResponseFormat.JSON_SCHEMA, "x", schema, true), null);

        ChatRequest sent = SchemaPatterns.forLlamaCpp(request);

        JsonNode s = sent.responseFormat().schema();
        assertThat(s.at("/properties/phone/pattern").asText()).isEqualTo("^[0-9]{3}$");
        assertThat(s.at("/properties/pattern/pattern").asText()).isEqualTo("^" + ANY + "(?:[a-z])" + ANY + "$");
        assertThat(s.at("/properties/tags/items/anyOf/0/pattern").asText()).isEqualTo("^[a-zA-Z0-9_]+$");
        assertThat(s.at("/properties/kind/enum/0/pattern").asText()).as("data, not a schema").isEqualTo("\\d");
        assertThat(s.at("/properties/kind/default/pattern").asText()).isEqualTo("\\d");
        assertThat(sent.tools().tools().getFirst().parameters().at("/properties/zip/pattern").asText())
                .isEqualTo("^" + ANY + "(?:[0-9]{5})" + ANY + "$");
        assertThat(sent.tools().tools().get(1)).isSameAs(request.tools().tools().get(1));
        assertThat(request.responseFormat().schema().at("/properties/phone/pattern").asText()).as("the caller's copy").isEqualTo("^\\d{3}$");
        assertThat(sent.responseFormat().strict()).isTrue();

        ChatRequest plain = ChatRequest.of("m", List.of(ChatMessage.user("hi")));
        assertThat(SchemaPatterns.forLlamaCpp(plain)).isSameAs(plain);
    }
}
