package dev.paddock.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes llama- and qwen3-architecture GGUF models with seeded random weights and a byte-level SentencePiece
 * vocabulary, which llama.cpp loads and generates from. Same spec, same bytes.
 */
public final class SyntheticLlama {
    private static final int TOKEN_NORMAL = 1;
    private static final int TOKEN_UNKNOWN = 2;
    private static final int TOKEN_CONTROL = 3;
    private static final int TOKEN_BYTE = 6;
    static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /**
     * ChatML plus tools: the signatures in a system message, each call answered as one JSON object of name and
     * arguments, results as user messages. llama.cpp reads the call format off the template, so a model with it
     * takes {@code tools}; a call starts with "{", which a test can steer a random model to with one logit bias.
     */
    static final String TOOL_CALLING_TEMPLATE = """
{%- if tools %}<|im_start|>system
{% if messages[0].role == 'system' %}{{ messages[0].content }}

{% endif %}Functions you may call, one JSON signature per line:
{% for tool in tools %}{{ tool | tojson }}
{% endfor %}To call one, answer with a JSON object of its name and arguments: {"name": <function-name>, "arguments": <args-json-object>}<|im_end|>
{% elif messages[0].role == 'system' %}<|im_start|>system
{{ messages[0].content }}<|im_end|>
{% endif %}{%- for message in messages %}{%- if message.role == 'user' or (message.role == 'system' and not loop.first) or (message.role == 'assistant' and not message.tool_calls) %}<|im_start|>{{ message.role }}
{{ message.content }}<|im_end|>
{% elif message.role == 'assistant' %}<|im_start|>assistant
{% if message.content %}{{ message.content }}
{% endif %}{% for call in message.tool_calls %}{% set f = call.function if call.function else call %}{"name": "{{ f.name }}", "arguments": {{ f.arguments | tojson if f.arguments is not string else f.arguments }}}
{% endfor %}<|im_end|>
{% elif message.role == 'tool' %}<|im_start|>user
Result: {{ message.content }}<|im_end|>
{% endif %}{%- endfor %}{%- if add_generation_prompt %}<|im_start|>assistant
{% endif %}
            """;

    private SyntheticLlama() {}

    public static void write(LlamaModelSpec spec, Path path) throws IOException {
        new GgufWriter().write(path, metadata(spec), tensors(spec));
    }

    static Map<String, GgufValue> metadata(LlamaModelSpec s) {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        String a = s.architecture();
        m.put("general.architecture", GgufValue.string(a));
        m.put("general.name", GgufValue.string(s.name()));
        m.put("general.file_type", GgufValue.uint32(FileType.idFor(s.weightType())));
        m.put("general.quantization_version", GgufValue.uint32(2));
        m.put(a + ".context_length", GgufValue.uint32(s.contextLength()));
        m.put(a + ".embedding_length", GgufValue.uint32(s.embeddingLength()));
        m.put(a + ".block_count", GgufValue.uint32(s.blockCount()));
        m.put(a + ".feed_forward_length", GgufValue.uint32(s.feedForwardLength()));
        m.put(a + ".attention.head_count", GgufValue.uint32(s.headCount()));
        m.put(a + ".attention.head_count_kv", GgufValue.uint32(s.headCountKv()));
        m.put(a + ".rope.dimension_count", GgufValue.uint32(s.headDimension()));
        m.put(a + ".rope.freq_base", GgufValue.float32(10000));
        m.put(a + ".attention.layer_norm_rms_epsilon", GgufValue.float32(1e-5));
        m.put(a + ".vocab_size", GgufValue.uint32(s.vocabSize()));
        vocabulary(s, m);
        if (s.chatTemplate() != null) {
            m.put("tokenizer.chat_template", GgufValue.string(s.chatTemplate()));
        }
        return m;
    }

    private static void vocabulary(LlamaModelSpec s, Map<String, GgufValue> m) {
        List<GgufValue> tokens = new ArrayList<>(s.vocabSize());
        List<GgufValue> scores = new ArrayList<>(s.vocabSize());
        List<GgufValue> types = new ArrayList<>(s.vocabSize());
        addToken(tokens, scores, types, "<unk>", TOKEN_UNKNOWN);
        addToken(tokens, scores, types, "<s>", TOKEN_CONTROL);
        addToken(tokens, scores, types, "</s>", TOKEN_CONTROL);
        for (int b = 0; b < 256; b++) {
            addToken(tokens, scores, types, String.format("<0x%02X>", b), TOKEN_BYTE);
        }
        addToken(tokens, scores, types, "<|im_start|>", TOKEN_CONTROL);
        addToken(tokens, scores, types, "<|im_end|>", TOKEN_CONTROL);
        // Fill larger vocabularies with distinct lower-case pieces: "▁a".."▁z", "▁aa", …
        for (int i = 0; tokens.size() < s.vocabSize(); i++) {
            tokens.add(GgufValue.string("\u2581" + letters(i)));
            scores.add(new GgufValue.Float(GgufValueType.FLOAT32, -i));
            types.add(new GgufValue.Int(GgufValueType.INT32, TOKEN_NORMAL));
        }
        m.put("tokenizer.ggml.model", GgufValue.string("llama"));
        m.put("tokenizer.ggml.tokens", GgufValue.Array.of(GgufValueType.STRING, tokens));
        m.put("tokenizer.ggml.scores", GgufValue.Array.of(GgufValueType.FLOAT32, scores));
        m.put("tokenizer.ggml.token_type", GgufValue.Array.of(GgufValueType.INT32, types));
        m.put("tokenizer.ggml.bos_token_id", GgufValue.uint32(1));
        m.put("tokenizer.ggml.eos_token_id", GgufValue.uint32(2));
        m.put("tokenizer.ggml.unknown_token_id", GgufValue.uint32(0));
        m.put("tokenizer.ggml.add_bos_token", new GgufValue.Bool(true));
        m.put("tokenizer.ggml.add_eos_token", new GgufValue.Bool(false));
        // no "▁" before the text after a special token: the vocabulary has no such piece, and llama.cpp's grammars for
        // JSON schemas and tool calls begin with the chat template's "<|im_start|>assistant\n", which must tokenize as written
        m.put("tokenizer.ggml.add_space_prefix", new GgufValue.Bool(false));
    }

    private static void addToken(List<GgufValue> tokens, List<GgufValue> scores, List<GgufValue> types, String text,
            int type) {
        tokens.add(GgufValue.string(text));
        scores.add(new GgufValue.Float(GgufValueType.FLOAT32, 0));
        types.add(new GgufValue.Int(GgufValueType.INT32, type));
    }

    /** The text of the i-th filler piece of a generated vocabulary ("a".."z", "aa", …): a word that is one token. */
    public static String letters(int i) {
        StringBuilder sb = new StringBuilder();
        int n = i;
        do {
            sb.append((char) ('a' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return sb.reverse().toString();
    }

    static List<GgufWriter.Tensor> tensors(LlamaModelSpec s) {
        long e = s.embeddingLength();
        long kv = (long) s.headDimension() * s.headCountKv();
        long ff = s.feedForwardLength();
        int n = s.blockCount();
        List<GgufWriter.Tensor> out = new ArrayList<>();
        // tied, the embeddings are the output too, which llama-quantize gives Q6_K in Q4_K_M
        boolean q4km = s.weightType() == GgmlType.Q4_K;
        out.add(matrix(s, "token_embd.weight", e, s.vocabSize(), q4km && s.tiedEmbeddings() ? GgmlType.Q6_K : s.weightType()));
        for (int b = 0; b < n; b++) {
            String p = "blk." + b + ".";
            // Q4_K_M as llama-quantize makes it: more bits for the values and the down projection of some layers
            GgmlType moreBits = q4km && moreBits(b, n) ? GgmlType.Q6_K : s.weightType();
            out.add(norm(p + "attn_norm.weight", e));
            out.add(matrix(s, p + "attn_q.weight", e, e, s.weightType()));
            out.add(matrix(s, p + "attn_k.weight", e, kv, s.weightType()));
            out.add(matrix(s, p + "attn_v.weight", e, kv, moreBits));
            out.add(matrix(s, p + "attn_output.weight", e, e, s.weightType()));
            if (s.architecture().equals("qwen3")) {
                out.add(norm(p + "attn_k_norm.weight", s.headDimension()));
                out.add(norm(p + "attn_q_norm.weight", s.headDimension()));
            }
            out.add(norm(p + "ffn_norm.weight", e));
            out.add(matrix(s, p + "ffn_gate.weight", e, ff, s.weightType()));
            out.add(matrix(s, p + "ffn_down.weight", ff, e, moreBits));
            out.add(matrix(s, p + "ffn_up.weight", e, ff, s.weightType()));
        }
        out.add(norm("output_norm.weight", e));
        if (!s.tiedEmbeddings()) {
            out.add(matrix(s, "output.weight", e, s.vocabSize(), q4km ? GgmlType.Q6_K : s.weightType()));
        }
        return out;
    }

    /** llama-quantize's {@code use_more_bits}: the first and last eighth of the layers, and every third between. */
    static boolean moreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    private static GgufWriter.Tensor norm(String name, long length) {
        return new GgufWriter.Tensor(name, List.of(length), GgmlType.F32, (buf, first, count) -> {
            for (long i = 0; i < count; i++) {
                buf.putFloat(1f);
            }
        });
    }

    /** A matrix of {@code rows} rows of {@code columns} values, uniform in ±1/√columns. */
    private static GgufWriter.Tensor matrix(LlamaModelSpec s, String name, long columns, long rows, GgmlType type) {
        float scale = (float) (1 / Math.sqrt(columns));
        long seed = s.seed() * 0x9E3779B97F4A7C15L ^ name.hashCode();
        return new GgufWriter.Tensor(name, List.of(columns, rows), type, (buf, first, count) -> {
            // One generator per chunk, seeded by position, so the bytes do not depend on chunk order.
            SplittableRandom random = new SplittableRandom(seed + first);
            switch (type) {
                case F32 -> {
                    for (long i = 0; i < count; i++) {
                        buf.putFloat(uniform(random, scale));
                    }
                }
                case F16 -> {
                    for (long i = 0; i < count; i++) {
                        buf.putShort(Float.floatToFloat16(uniform(random, scale)));
                    }
                }
                case Q8_0 -> q8(buf, random, scale, count);
                case Q4_K -> q4k(buf, random, scale, count);
                case Q6_K -> q6k(buf, random, scale, count);
                default -> throw new IllegalArgumentException("no generated weights of type " + type);
            }
        });
    }

    private static void q8(ByteBuffer buf, SplittableRandom random, float scale, long count) {
        float[] block = new float[32];
        for (long b = 0; b < count / 32; b++) {
            float max = 0;
            for (int i = 0; i < 32; i++) {
                block[i] = uniform(random, scale);
                max = Math.max(max, Math.abs(block[i]));
            }
            float d = max / 127f;
            short d16 = Float.floatToFloat16(d);
            float dq = Float.float16ToFloat(d16);
            buf.putShort(d16);
            for (int i = 0; i < 32; i++) {
                buf.put((byte) (dq == 0 ? 0 : Math.max(-127, Math.min(127, Math.round(block[i] / dq)))));
            }
        }
    }

    /**
     * Q4_K blocks of 256 values, drawn as random 4-bit levels rather than quantized from floats: each value is
     * {@code d·scale·q − dmin·min} with every sub-block's 6-bit scale and min 1, so q in 0..15 spans ±{@code scale}.
     */
    private static void q4k(ByteBuffer buf, SplittableRandom random, float scale, long count) {
        byte[] levels = new byte[128];
        for (long b = 0; b < count / 256; b++) {
            buf.putShort(Float.floatToFloat16(2 * scale / 15)); // d
            buf.putShort(Float.floatToFloat16(scale)); // dmin
            // 12 bytes packing eight 6-bit scales and mins: 1 each
            for (int i = 0; i < 8; i++) {
                buf.put((byte) 1);
            }
            for (int i = 0; i < 4; i++) {
                buf.put((byte) 0x11);
            }
            random.nextBytes(levels);
            buf.put(levels);
        }
    }

    /** Q6_K blocks of 256 values, random 6-bit levels q with every sub-block's scale 1: {@code d·(q − 32)} spans ±{@code scale}. */
    private static void q6k(ByteBuffer buf, SplittableRandom random, float scale, long count) {
        byte[] low = new byte[128];
        byte[] high = new byte[64];
        for (long b = 0; b < count / 256; b++) {
            random.nextBytes(low);
            random.nextBytes(high);
            buf.put(low).put(high);
            for (int i = 0; i < 16; i++) {
                buf.put((byte) 1);
            }
            buf.putShort(Float.floatToFloat16(scale / 32)); // d
        }
    }

    private static float uniform(SplittableRandom random, float scale) {
        return (float) (random.nextDouble() * 2 - 1) * scale;
    }
}
