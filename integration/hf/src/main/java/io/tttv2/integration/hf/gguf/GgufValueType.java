package io.tttv2.integration.hf.gguf;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The value types of GGUF metadata ({@code gguf_type}), with the bytes one value takes (0: variable). */
@ProviderType
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 0),
    ARRAY(9, 0),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    public int id() {
        return id;
    }

    /** Bytes of one value; 0 for strings and arrays, whose size is in the file. */
    public int size() {
        return size;
    }

    /** The fewest bytes one value can take (a string: its 8-byte length; an array: type and count). */
    int minimumBytes() {
        return switch (this) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> size;
        };
    }

    public static Optional<GgufValueType> of(long id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
