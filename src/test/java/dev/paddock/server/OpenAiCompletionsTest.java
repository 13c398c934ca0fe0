package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Log-probabilities in the legacy completions API's shape, from the chat API's entries. */
class OpenAiCompletionsTest {
    @Test
    void tokensLineUpWithTheirOffsetsAndAlternativesThatPrintAlikeKeepTheLikeliest() throws Exception {
        JsonNode entries = PaddockServer.JSON.readTree("""
                [{"token": " blue", "logprob": -0.25, "top_logprobs": [{"token": " blue", "logprob": -0.25}, {"token": "\\ufffd", "logprob": -1.5},
                  {"token": "\\ufffd", "logprob": -3.0}]},
                 {"token": " sky", "logprob": -0.5, "top_logprobs": []}]""");
        int[] offset = {6};

        JsonNode lp = OpenAiCompletions.legacy(entries, offset);

        assertThat(lp.path("tokens")).extracting(JsonNode::asText).containsExactly(" blue", " sky");
        assertThat(lp.path("token_logprobs")).extracting(JsonNode::asDouble).containsExactly(-0.25, -0.5);
        assertThat(lp.path("text_offset")).extracting(JsonNode::asInt).containsExactly(6, 11);
        assertThat(lp.path("top_logprobs").get(0).path("\ufffd").asDouble()).isEqualTo(-1.5);
        assertThat(offset[0]).isEqualTo(15);
        assertThat(OpenAiCompletions.legacy(PaddockServer.JSON.createArrayNode(), new int[] {0}).path("tokens").isArray()).isTrue();
    }

    @Test
    void alternativesThatAreNotWholeCharactersAreKeyedByTheirBytesAsOpenAiDoes() throws Exception {
        // llama-server's entries carry each token's bytes; part of a UTF-8 sequence prints as U+FFFD or nothing
        JsonNode entries = PaddockServer.JSON.readTree("""
                [{"token": "\\ufffd", "bytes": [226, 128], "logprob": -1.0, "top_logprobs": [
                   {"token": "", "bytes": [223], "logprob": -1.0}, {"token": "", "bytes": [188], "logprob": -2.0},
                   {"token": "q", "bytes": [113], "logprob": -3.0}]},
                 {"token": "\\u00e9", "bytes": [195, 169], "logprob": -0.5, "top_logprobs": []}]""");

        JsonNode lp = OpenAiCompletions.legacy(entries, new int[] {0});

        assertThat(lp.path("tokens")).as("as the text prints them").extracting(JsonNode::asText).containsExactly("\ufffd", "\u00e9");
        assertThat(lp.path("top_logprobs").get(0).properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("bytes:\\xdf", "bytes:\\xbc", "q");
    }
}
