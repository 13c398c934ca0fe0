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

    public GgufFacts facts() {
        return GgufFacts.of(this);
    }
}
