package dev.paddock.runner;

import java.util.List;

/** One message of a chat, as the runner receives it. */
record ChatTurn(String role, String content) {
    static final List<String> ROLES = List.of("system", "user", "assistant", "tool");

    /** ChatML, the fallback for models whose GGUF carries no chat template. */
    static String chatMl(List<ChatTurn> turns) {
        StringBuilder s = new StringBuilder();
        for (ChatTurn t : turns) {
            s.append("<|im_start|>").append(t.role()).append('\n').append(t.content()).append("<|im_end|>\n");
        }
        return s.append("<|im_start|>assistant\n").toString();
    }
}
