package dev.paddock.gguf;

import java.util.List;
import java.util.Objects;

/** One metadata value of a GGUF file, keeping its exact wire type so that files round-trip. */
public sealed interface GgufValue {
    GgufValueType type();

    /** A plain Java view: Long, Double, Boolean, String, or a List for arrays (only the elements read). */
    Object plain();

    /** Integers of every width; unsigned 64-bit values above Long.MAX_VALUE stay as their bit pattern. */
    record Int(GgufValueType type, long value) implements GgufValue {
        public Int {
            if (type.fixedSize() < 0 || type == GgufValueType.FLOAT32 || type == GgufValueType.FLOAT64
                    || type == GgufValueType.BOOL) {
                throw new IllegalArgumentException("not an integer type: " + type);
            }
        }

        @Override
        public Object plain() {
            return value;
        }
    }

    record Float(GgufValueType type, double value) implements GgufValue {
        public Float {
            if (type != GgufValueType.FLOAT32 && type != GgufValueType.FLOAT64) {
                throw new IllegalArgumentException("not a float type: " + type);
            }
        }

        @Override
        public Object plain() {
            return value;
        }
    }

    record Bool(boolean value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }

        @Override
        public Object plain() {
            return value;
        }
    }

    record Str(String value) implements GgufValue {
        public Str {
            Objects.requireNonNull(value);
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }

        @Override
        public Object plain() {
            return value;
        }
    }

    /**
     * An array of {@code count} values of {@code elementType}. Readers may keep only the first elements of
     * a long array (the vocabulary, say); {@link #complete()} tells whether all of them are here.
     */
    record Array(GgufValueType elementType, long count, List<GgufValue> elements) implements GgufValue {
        public Array {
            elements = List.copyOf(elements);
            if (elements.size() > count) {
                throw new IllegalArgumentException("more elements than count");
            }
        }

        public static Array of(GgufValueType elementType, List<? extends GgufValue> elements) {
            return new Array(elementType, elements.size(), List.copyOf(elements));
        }

        public boolean complete() {
            return elements.size() == count;
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.ARRAY;
        }

        @Override
        public Object plain() {
            return elements.stream().map(GgufValue::plain).toList();
        }
    }

    static GgufValue uint32(long v) {
        return new Int(GgufValueType.UINT32, v);
    }

    static GgufValue float32(double v) {
        return new Float(GgufValueType.FLOAT32, v);
    }

    static GgufValue string(String v) {
        return new Str(v);
    }
}
