package dev.paddock.bench;

/** A prompt of about N tokens: plain English words, about one token each for real vocabularies. */
final class PromptText {
    private static final String[] WORDS = ("the quick brown fox jumps over the lazy dog while a patient keeper watches "
            + "the harbour light turn slowly through the long grey evening and counts the ships").split(" ");

    private PromptText() {}

    static String ofWords(int words) {
        StringBuilder s = new StringBuilder("Continue this text: ");
        for (int i = 0; i < words; i++) {
            s.append(WORDS[i % WORDS.length]).append(i % 17 == 16 ? ". " : " ");
        }
        return s.toString().strip();
    }
}
