package dev.paddock.gguf;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values llama.cpp takes on trust, checked before a model reaches native code: a context length of 0,
 * a NaN norm epsilon or a template identifier kilobytes long crash or abort a runner instead of failing
 * cleanly. Each refusal is one line naming the key and what it must be.
 */
public final class LoadChecks {
    static final long MAX_CONTEXT = 1L << 24;
    static final int MAX_TEMPLATE_CHARS = 256 * 1024;
    static final int MAX_IDENTIFIER_CHARS = 256;
    private static final Pattern TAG = Pattern.compile("\\{[{%](.*?)[}%]\\}", Pattern.DOTALL);
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private LoadChecks() {}

    /** Throws a {@link GgufFormatException} for the first value native code must not see. */
    public static void require(GgufFile f, String model) {
        String arch = f.string("general.architecture").orElse(null);
        if (arch != null) {
            String p = arch + ".";
            range(f, model, p + "context_length", 1, MAX_CONTEXT);
            range(f, model, p + "block_count", 1, 4096);
            range(f, model, p + "embedding_length", 1, 1L << 20);
            range(f, model, p + "feed_forward_length", 1, 1L << 22);
            range(f, model, p + "attention.head_count", 1, 1 << 14);
            range(f, model, p + "expert_count", 0, 4096);
            Long heads = f.integer(p + "attention.head_count").orElse(null);
            range(f, model, p + "attention.head_count_kv", 1, heads != null && heads > 0 ? heads : 1 << 14);
            range(f, model, p + "vocab_size", 1, 1L << 24);
        }
        for (Map.Entry<String, GgufValue> e : f.metadata().entrySet()) {
            if (e.getValue() instanceof GgufValue.Float x) {
                if (!Double.isFinite(x.value())) {
                    throw refuse(model, e.getKey() + " is " + x.value() + "; it must be a finite number");
                }
                if (e.getKey().endsWith("epsilon") && !(x.value() > 0 && x.value() < 1)) {
                    throw refuse(model, e.getKey() + " is " + x.value() + "; a norm epsilon must be above 0 and below 1");
                }
            }
        }
        f.string("tokenizer.chat_template").ifPresent(t -> template(model, t));
    }

    private static void range(GgufFile f, String model, String key, long min, long max) {
        f.integer(key).ifPresent(v -> {
            if (v < min || v > max) {
                throw refuse(model, key + " is " + v + "; it must be from " + min + " to " + max);
            }
        });
    }

    private static void template(String model, String template) {
        if (template.length() > MAX_TEMPLATE_CHARS) {
            throw refuse(model, "tokenizer.chat_template is " + template.length() + " characters long; Paddock loads templates of up to "
                    + MAX_TEMPLATE_CHARS);
        }
        Matcher tags = TAG.matcher(template);
        while (tags.find()) {
            Matcher words = WORD.matcher(tags.group(1));
            while (words.find()) {
                if (words.end() - words.start() > MAX_IDENTIFIER_CHARS) {
                    throw refuse(model, "tokenizer.chat_template has a " + (words.end() - words.start())
                            + "-character identifier; identifiers have at most " + MAX_IDENTIFIER_CHARS);
                }
            }
        }
    }

    private static GgufFormatException refuse(String model, String what) {
        return new GgufFormatException("refusing to load " + model + ": its metadata key " + what
                + "; the file is damaged or hostile — get it again from a trusted source");
    }
}
