package dev.paddock.recommend;

import dev.paddock.error.PaddockException;
import java.util.Locale;

/** What a model is wanted for; each task favours some capabilities. */
public enum Task {
    CODE, REASONING, CHAT, EXTRACTION, SUMMARIZATION;

    public static Task parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PaddockException.invalidInput("unknown task \"" + text + "\"; use code, reasoning, chat, extraction or summarization");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
