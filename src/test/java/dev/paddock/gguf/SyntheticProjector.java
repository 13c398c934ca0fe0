package dev.paddock.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a vision projector (an mmproj GGUF) of seeded random weights, in the layout of LLaVA's: a CLIP vision
 * tower and a two-layer MLP that maps its patches onto the text model's embeddings. llama.cpp's mtmd loads it
 * beside a generated model of the same embedding length, so images can be sent to a local model in tests.
 * A {@code size}×{@code size} image becomes {@code (size / 14)²} image tokens.
 */
public final class SyntheticProjector {
    private static final int PATCH = 14;
    private static final int WIDTH = 32;
    private static final int FEED_FORWARD = 64;
    private static final int HEADS = 4;
    private static final int BLOCKS = 2; // LLaVA's projector reads the second-to-last block

    private SyntheticProjector() {}

    /** A projector for a text model of {@code textEmbedding} dimensions, taking images as {@code imageSize}² pixels. */
    public static void write(Path path, int textEmbedding, int imageSize, long seed) throws IOException {
        if (imageSize % PATCH != 0) {
            throw new IllegalArgumentException("the image size must be a multiple of " + PATCH);
        }
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("clip"));
        m.put("general.name", GgufValue.string("paddock-projector"));
        m.put("general.file_type", GgufValue.uint32(0));
        m.put("clip.has_vision_encoder", new GgufValue.Bool(true));
        m.put("clip.projector_type", GgufValue.string("mlp"));
        m.put("clip.use_gelu", new GgufValue.Bool(true));
        m.put("clip.vision.image_size", GgufValue.uint32(imageSize));
        m.put("clip.vision.patch_size", GgufValue.uint32(PATCH));
        m.put("clip.vision.embedding_length", GgufValue.uint32(WIDTH));
        m.put("clip.vision.feed_forward_length", GgufValue.uint32(FEED_FORWARD));
        m.put("clip.vision.projection_dim", GgufValue.uint32(textEmbedding));
        m.put("clip.vision.block_count", GgufValue.uint32(BLOCKS));
        m.put("clip.vision.attention.head_count", GgufValue.uint32(HEADS));
        m.put("clip.vision.attention.layer_norm_epsilon", GgufValue.float32(1e-5));
        List<GgufValue> half = List.of(GgufValue.float32(0.5), GgufValue.float32(0.5), GgufValue.float32(0.5));
        m.put("clip.vision.image_mean", GgufValue.Array.of(GgufValueType.FLOAT32, half));
        m.put("clip.vision.image_std", GgufValue.Array.of(GgufValueType.FLOAT32, half));

        long patches = (long) (imageSize / PATCH) * (imageSize / PATCH);
        List<GgufWriter.Tensor> t = new ArrayList<>();
        t.add(random("v.patch_embd.weight", List.of((long) PATCH, (long) PATCH, 3L, (long) WIDTH), PATCH * PATCH * 3, seed));
        t.add(random("v.position_embd.weight", List.of((long) WIDTH, patches), WIDTH, seed));
        for (int b = 0; b < BLOCKS; b++) {
            String p = "v.blk." + b + ".";
            for (String part : List.of("attn_q", "attn_k", "attn_v", "attn_out")) {
                t.add(random(p + part + ".weight", List.of((long) WIDTH, (long) WIDTH), WIDTH, seed));
                t.add(constant(p + part + ".bias", WIDTH, 0));
            }
            for (String norm : List.of("ln1", "ln2")) {
                t.add(constant(p + norm + ".weight", WIDTH, 1));
                t.add(constant(p + norm + ".bias", WIDTH, 0));
            }
            t.add(random(p + "ffn_up.weight", List.of((long) WIDTH, (long) FEED_FORWARD), WIDTH, seed));
            t.add(constant(p + "ffn_up.bias", FEED_FORWARD, 0));
            t.add(random(p + "ffn_down.weight", List.of((long) FEED_FORWARD, (long) WIDTH), FEED_FORWARD, seed));
            t.add(constant(p + "ffn_down.bias", WIDTH, 0));
        }
        t.add(random("mm.0.weight", List.of((long) WIDTH, (long) textEmbedding), WIDTH, seed));
        t.add(constant("mm.0.bias", textEmbedding, 0));
        t.add(random("mm.2.weight", List.of((long) textEmbedding, (long) textEmbedding), textEmbedding, seed));
        t.add(constant("mm.2.bias", textEmbedding, 0));
        new GgufWriter().write(path, m, t);
    }

    private static GgufWriter.Tensor constant(String name, long length, float value) {
        return new GgufWriter.Tensor(name, List.of(length), GgmlType.F32, (buf, first, count) -> {
            for (long i = 0; i < count; i++) {
                buf.putFloat(value);
            }
        });
    }

    /** Uniform in ±1/√fanIn, seeded by name and position so the bytes do not depend on chunk order. */
    private static GgufWriter.Tensor random(String name, List<Long> shape, int fanIn, long seed) {
        float scale = (float) (1 / Math.sqrt(fanIn));
        long s = seed * 0x9E3779B97F4A7C15L ^ name.hashCode();
        return new GgufWriter.Tensor(name, shape, GgmlType.F32, (buf, first, count) -> {
            SplittableRandom random = new SplittableRandom(s + first);
            for (long i = 0; i < count; i++) {
                buf.putFloat((float) (random.nextDouble() * 2 - 1) * scale);
            }
        });
    }
}
