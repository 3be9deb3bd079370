package io.tttv2.integration.hf.gguf;

import java.util.Arrays;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One metadata value of a GGUF file with the type it was stored as (kept so that a file read and written again
 * keeps its types). The Java value by type: every integer type a {@link Long} (UINT64 as its bit pattern),
 * FLOAT32 a {@link Float}, FLOAT64 a {@link Double}, BOOL a {@link Boolean}, STRING a {@link String}, ARRAY a
 * {@link Array}.
 */
@ProviderType
public record GgufValue(GgufValueType type, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        boolean fits = switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> value instanceof Long;
            case FLOAT32 -> value instanceof Float;
            case FLOAT64 -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
            case ARRAY -> value instanceof Array;
        };
        if (!fits) {
            throw new IllegalArgumentException("a " + type + " value cannot hold " + value.getClass().getSimpleName());
        }
    }

    public static GgufValue string(String s) {
        return new GgufValue(GgufValueType.STRING, s);
    }

    public static GgufValue uint32(long v) {
        return new GgufValue(GgufValueType.UINT32, v);
    }

    public static GgufValue int32(long v) {
        return new GgufValue(GgufValueType.INT32, v);
    }

    public static GgufValue float32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, v);
    }

    public static GgufValue strings(String[] values) {
        return new GgufValue(GgufValueType.ARRAY, new Array(GgufValueType.STRING, values.clone()));
    }

    public static GgufValue floats(float[] values) {
        return new GgufValue(GgufValueType.ARRAY, new Array(GgufValueType.FLOAT32, values.clone()));
    }

    public static GgufValue int32s(long[] values) {
        return new GgufValue(GgufValueType.ARRAY, new Array(GgufValueType.INT32, values.clone()));
    }

    @Override
    public String toString() {
        return type == GgufValueType.STRING ? "'" + value + "'" : value.toString();
    }

    /**
     * An array value: its element type and the elements — {@code long[]} for integer types, {@code float[]},
     * {@code double[]}, {@code boolean[]} or {@code String[]}. Arrays of arrays are not read (llama.cpp's
     * files have none).
     */
    public record Array(GgufValueType elementType, Object values) {

        public Array {
            Objects.requireNonNull(elementType, "elementType");
            boolean fits = switch (elementType) {
                case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> values instanceof long[];
                case FLOAT32 -> values instanceof float[];
                case FLOAT64 -> values instanceof double[];
                case BOOL -> values instanceof boolean[];
                case STRING -> values instanceof String[];
                case ARRAY -> false;
            };
            if (!fits) {
                throw new IllegalArgumentException("an array of " + elementType + " cannot hold " + values);
            }
        }

        public int length() {
            return java.lang.reflect.Array.getLength(values);
        }

        @Override
        public String toString() {
            return "[" + length() + " × " + elementType + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Array a && a.elementType == elementType
                    && Objects.deepEquals(new Object[] {values}, new Object[] {a.values});
        }

        @Override
        public int hashCode() {
            return elementType.hashCode() * 31 + Arrays.deepHashCode(new Object[] {values});
        }
    }
}
