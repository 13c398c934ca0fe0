package dev.paddock.gguf;

/** The values of {@code general.file_type} (llama.cpp's {@code llama_ftype}) and the names users know them by. */
final class FileType {
    private static final String[] NAMES = new String[40];
    /** llama.cpp ORs this into file types it guessed rather than recorded. */
    private static final long GUESSED = 1024;

    static {
        String[][] table = {
            {"0", "F32"}, {"1", "F16"}, {"2", "Q4_0"}, {"3", "Q4_1"}, {"4", "Q4_1_SOME_F16"},
            {"7", "Q8_0"}, {"8", "Q5_0"}, {"9", "Q5_1"}, {"10", "Q2_K"}, {"11", "Q3_K_S"}, {"12", "Q3_K_M"},
            {"13", "Q3_K_L"}, {"14", "Q4_K_S"}, {"15", "Q4_K_M"}, {"16", "Q5_K_S"}, {"17", "Q5_K_M"},
            {"18", "Q6_K"}, {"19", "IQ2_XXS"}, {"20", "IQ2_XS"}, {"21", "Q2_K_S"}, {"22", "IQ3_XS"},
            {"23", "IQ3_XXS"}, {"24", "IQ1_S"}, {"25", "IQ4_NL"}, {"26", "IQ3_S"}, {"27", "IQ3_M"},
            {"28", "IQ2_S"}, {"29", "IQ2_M"}, {"30", "IQ4_XS"}, {"31", "IQ1_M"}, {"32", "BF16"},
            {"36", "TQ1_0"}, {"37", "TQ2_0"}, {"38", "MXFP4_MOE"},
        };
        for (String[] row : table) {
            NAMES[Integer.parseInt(row[0])] = row[1];
        }
    }

    private FileType() {}

    /** The name for a file type id, or null when the id is unknown. */
    static String name(long id) {
        long plain = id & ~GUESSED;
        return plain >= 0 && plain < NAMES.length ? NAMES[(int) plain] : null;
    }

    /** The file type id to record for a model whose weights are of one type (Q4_K: the Q4_K_M mixture). */
    static int idFor(GgmlType weights) {
        return switch (weights) {
            case F32 -> 0;
            case F16 -> 1;
            case Q8_0 -> 7;
            case Q4_0 -> 2;
            case Q4_K -> 15; // the Q4_K_M mixture the writer makes
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("no single file type for " + weights);
        };
    }
}
