package dev.paddock.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a GGUF file's header says: version, metadata in file order, tensor table, and where the tensor
 * data starts. {@code bytesRead} is how much of the file the reader actually fetched.
 */
public record GgufFile(
        int version,
        long fileSize,
        Map<String, GgufValue> metadata,
        List<TensorInfo> tensors,
        int alignment,
        long dataOffset,
        long bytesRead) {

    public GgufFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    public Optional<String> string(String key) {
        return get(key).filter(v -> v instanceof GgufValue.Str).map(v -> ((GgufValue.Str) v).value());
    }

    public Optional<Long> integer(String key) {
        return get(key).filter(v -> v instanceof GgufValue.Int).map(v -> ((GgufValue.Int) v).value());
    }

    public Optional<Double> number(String key) {
        return get(key).map(v -> switch (v) {
            case GgufValue.Int i -> (double) i.value();
            case GgufValue.Float f -> f.value();
            default -> null;
        });
    }

    public Optional<GgufValue.Array> array(String key) {
        return get(key).filter(v -> v instanceof GgufValue.Array).map(v -> (GgufValue.Array) v);
    }

    /** Bytes of tensor data the table describes, padding between tensors included. */
    public long tensorDataBytes() {
        long end = 0;
        for (TensorInfo t : tensors) {
            end = Math.max(end, t.offset() + t.sizeBytes());
        }
        return end;
    }

    /**
     * Whether this is a multimodal projector (an mmproj file, llama.cpp's "clip" architecture): the image or audio
     * encoder a model loads beside itself, never a model of its own.
     */
    public boolean isProjector() {
        return "clip".equals(string("general.architecture").orElse(null)) || metadata.containsKey("clip.projector_type")
                || metadata.containsKey("clip.has_vision_encoder") || metadata.containsKey("clip.has_audio_encoder");
    }

    /** Whether a projector encodes images (some encode only audio). */
    public boolean projectsImages() {
        return get("clip.has_vision_encoder").filter(v -> v instanceof GgufValue.Bool b && b.value()).isPresent();
    }

    /**
     * The embedding length of the model a vision projector feeds, read off the tensor llama.cpp's mtmd reads it from for
     * the common projector types (LLaVA-style MLPs, Qwen2/2.5-VL, Pixtral, Phi-4, Gemma 3, Idefics3/SmolVLM, InternVL);
     * empty for other types, whose width is not checked here but by the engine when it loads them.
     */
    public Optional<Long> projectorWidth() {
        String type = string("clip.projector_type").or(() -> string("clip.vision.projector_type")).orElse("");
        return switch (type) {
            case "mlp", "pixtral", "phi4", "qwen2vl_merger", "qwen2.5vl_merger", "qwen2.5o" -> dimension("mm.2.weight", 1);
            case "mlp_norm" -> dimension("mm.3.bias", 0);
            case "gemma3", "gemma3nv" -> dimension("mm.input_projection.weight", 0);
            case "idefics3" -> dimension("mm.model.fc.weight", 1);
            case "internvl" -> dimension("mm.model.mlp.3.weight", 1);
            default -> Optional.empty();
        };
    }

    /** Dimension {@code index} (ggml's order: 0 is the row length) of the named tensor. */
    private Optional<Long> dimension(String tensor, int index) {
        return tensors.stream().filter(t -> t.name().equals(tensor) && t.shape().size() > index).findFirst()
                .map(t -> t.shape().get(index));
    }

    public GgufFacts facts() {
        return GgufFacts.of(this);
    }
}
