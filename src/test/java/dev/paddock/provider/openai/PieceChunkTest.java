package dev.paddock.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PieceChunkTest {
    private static final String TAIL = ",\"created\":1764630000,\"id\":\"chatcmpl-x\",\"model\":\"m\",\"system_fingerprint\":\"b1-de3ff81\","
            + "\"object\":\"chat.completion.chunk\"}";

    @Test
    void aChunkOfTheFirstChoicesTextIsReadWithoutATree() {
        assertEquals(" word", text("{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" word\"}}]" + TAIL));
        assertEquals("é \"q\"\n☃", text("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u00e9 \\\"q\\\"\\n☃\"},"
                + "\"logprobs\":null}]}"));
        assertEquals("", text("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]" + TAIL));
        assertEquals("text", text("{\"choices\":[{\"index\":0,\"text\":\"text\",\"finish_reason\":null}]" + TAIL));
    }

    /** The text of a text piece; null for no piece, and "arguments of N: …" for a tool call's. */
    private static String text(String data) {
        PieceChunk.Piece p = PieceChunk.of(data);
        return p == null ? null : p.isText() ? p.text() : "arguments of " + p.toolCall() + ": " + p.text();
    }

    @Test
    void aPieceOfAToolCallsArgumentsIsReadWithoutATree() {
        assertEquals("arguments of 0: {\"ti", text("{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"tool_calls\":"
                + "[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ti\"}}]}}]" + TAIL));
        assertEquals("arguments of 2: x", text("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\""
                + ":\"x\"},\"index\":2}]}}]" + TAIL));
    }

    @Test
    void everyOtherChunkIsLeftToTheTree() {
        String[] others = {
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\",\"function\":"
                    + "{\"name\":\"f\",\"arguments\":\"\"}}]}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"a\"}},"
                    + "{\"index\":1,\"function\":{\"arguments\":\"b\"}}]}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"b\"}}]}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"b\"}}]}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[]}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]" + TAIL,
            "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":{\"content\":\"b\"}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"logprobs\":{\"content\":[]}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":null}}]" + TAIL,
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"refusal\":null}}]" + TAIL,
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"timings\":{\"prompt_n\":1}}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"prompt_progress\":{\"total\":9}}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"__verbose\":{\"stopping_word\":\"x\"}}",
            "{\"error\":{\"message\":\"boom\"}}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]} trailing",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"",
            "[1, 2]",
            "not json",
        };
        for (String chunk : others) {
            assertNull(PieceChunk.of(chunk), chunk);
        }
    }
}
