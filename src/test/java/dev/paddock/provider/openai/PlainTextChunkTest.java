package dev.paddock.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PlainTextChunkTest {
    private static final String TAIL = ",\"created\":1764630000,\"id\":\"chatcmpl-x\",\"model\":\"m\",\"system_fingerprint\":\"b1-de3ff81\","
            + "\"object\":\"chat.completion.chunk\"}";

    @Test
    void aChunkOfTheFirstChoicesTextIsReadWithoutATree() {
        assertEquals(" word", PlainTextChunk.textOf("{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" word\"}}]" + TAIL));
        assertEquals("é \"q\"\n☃", PlainTextChunk.textOf("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u00e9 \\\"q\\\"\\n☃\"},"
                + "\"logprobs\":null}]}"));
        assertEquals("", PlainTextChunk.textOf("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]" + TAIL));
        assertEquals("text", PlainTextChunk.textOf("{\"choices\":[{\"index\":0,\"text\":\"text\",\"finish_reason\":null}]" + TAIL));
    }

    @Test
    void everyOtherChunkIsLeftToTheTree() {
        String[] others = {
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\"}}]}}]" + TAIL,
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
            assertNull(PlainTextChunk.textOf(chunk), chunk);
        }
    }
}
