package dev.paddock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's (deprecated) {@code context} of {@code /api/generate}: "an encoding of the conversation", sent back by the
 * client to continue it. Ollama's are token ids of one engine; Paddock's encode the turns themselves (their roles and
 * text, three UTF-8 bytes to a number, after a marker no vocabulary reaches), so any provider can continue them
 * through its own chat template. Images are not kept: a later turn sends its own.
 */
final class OllamaContext {
    /** "PDK1": well above any vocabulary's token ids, so a context from a real Ollama is told apart. */
    private static final int MARK = 0x50444B31;
    /** A conversation of more than this many numbers (about 12 MB of text) is not one Paddock gave. */
    private static final int MAX_NUMBERS = 4 << 20;

    private OllamaContext() {}

    static ArrayNode encode(List<ChatMessage> turns) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage m : turns) {
            text.append(m.role()).append('\n').append(m.content().length()).append('\n').append(m.content());
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ArrayNode out = PaddockServer.JSON.createArrayNode().add(MARK).add(bytes.length);
        for (int i = 0; i < bytes.length; i += 3) {
            int n = 0;
            for (int j = 0; j < 3; j++) {
                n = n << 8 | (i + j < bytes.length ? bytes[i + j] & 0xff : 0);
            }
            out.add(n);
        }
        return out;
    }

    /** The turns a context holds; a clear 400 for anything Paddock did not give. */
    static List<ChatMessage> decode(JsonNode context) {
        if (context == null || context.isNull() || context.isArray() && context.isEmpty()) {
            return List.of();
        }
        if (!context.isArray() || context.size() < 2 || context.get(0).asInt() != MARK || context.size() > MAX_NUMBERS
                || !context.get(1).canConvertToInt()) {
            throw notOurs();
        }
        int length = context.get(1).asInt();
        if (length < 0 || (length + 2) / 3 != context.size() - 2) {
            throw notOurs();
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i += 3) {
            JsonNode n = context.get(2 + i / 3);
            if (!n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 0xffffff) {
                throw notOurs();
            }
            for (int j = 0; j < 3 && i + j < length; j++) {
                bytes[i + j] = (byte) (n.asInt() >> (16 - 8 * j));
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<ChatMessage> turns = new ArrayList<>();
        int at = 0;
        try {
            while (at < text.length()) {
                int roleEnd = text.indexOf('\n', at);
                int sizeEnd = text.indexOf('\n', roleEnd + 1);
                String role = text.substring(at, roleEnd);
                int size = Integer.parseInt(text.substring(roleEnd + 1, sizeEnd));
                if (!role.equals("user") && !role.equals("assistant") && !role.equals("system")) {
                    throw notOurs();
                }
                turns.add(new ChatMessage(role, text.substring(sizeEnd + 1, sizeEnd + 1 + size), List.of(), List.of(), null));
                at = sizeEnd + 1 + size;
            }
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw notOurs();
        }
        return turns;
    }

    private static PaddockException notOurs() {
        return PaddockException.invalidInput("\"context\" is not one that Paddock's /api/generate gave; send back the context"
                + " of Paddock's last answer unchanged, or leave it out (or use /api/chat with the turns as messages)");
    }
}
