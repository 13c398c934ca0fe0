package dev.paddock.gguf;

/** The metadata value types of GGUF, with their ids and the bytes a value of fixed size takes. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, -1),
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int fixedSize;

    GgufValueType(int id, int fixedSize) {
        this.id = id;
        this.fixedSize = fixedSize;
    }

    public int id() {
        return id;
    }

    /** Size in bytes of one value, or -1 for strings and arrays. */
    public int fixedSize() {
        return fixedSize;
    }

    /** The fewest bytes one value can take in a file: used to bound counts before anything is allocated. */
    int minimumSize() {
        return switch (this) {
            case STRING -> 8; // the length prefix
            case ARRAY -> 12; // element type + count
            default -> fixedSize;
        };
    }

    public static GgufValueType byId(long id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
