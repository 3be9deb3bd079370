package io.tttv2.integration.hf.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The metadata of a GGUF file, in file order, with typed accessors whose errors name the file, the key, the
 * type expected and the type found.
 */
@ProviderType
public final class GgufMetadata {
    private final Path file;
    private final Map<String, GgufValue> values;

    public GgufMetadata(Path file, Map<String, GgufValue> values) {
        this.file = file;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Path file() {
        return file;
    }

    /** Every key → value, in file order. */
    public Map<String, GgufValue> values() {
        return values;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Optional<GgufValue> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key, "a string"));
    }

    public Optional<String> optionalString(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.type() != GgufValueType.STRING) {
            throw wrong(key, "a string", v);
        }
        return Optional.of((String) v.value());
    }

    /** An integer of any integer type (UINT64 above Long.MAX_VALUE is refused). */
    public long integer(String key) {
        return optionalInteger(key).orElseThrow(() -> missing(key, "an integer"));
    }

    public Optional<Long> optionalInteger(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v.value() instanceof Long l) || (v.type() == GgufValueType.UINT64 && l < 0)) {
            throw wrong(key, "an integer", v);
        }
        return Optional.of(l);
    }

    /** A non-negative integer that fits an int. */
    public Optional<Integer> optionalCount(String key) {
        return optionalInteger(key).map(l -> {
            if (l < 0 || l > Integer.MAX_VALUE) {
                throw new GgufFormatException(file + ": key '" + key + "' expected a count in [0, "
                        + Integer.MAX_VALUE + "], found " + l);
            }
            return l.intValue();
        });
    }

    public int count(String key) {
        return optionalCount(key).orElseThrow(() -> missing(key, "an integer"));
    }

    /** A FLOAT32 or FLOAT64 (an integer is accepted too). */
    public Optional<Double> optionalNumber(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return switch (v.value()) {
            case Float f -> Optional.of(f.doubleValue());
            case Double d -> Optional.of(d);
            case Long l when v.type() != GgufValueType.UINT64 || l >= 0 -> Optional.of(l.doubleValue());
            default -> throw wrong(key, "a number", v);
        };
    }

    public Optional<Boolean> optionalBool(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v.value() instanceof Boolean b)) {
            throw wrong(key, "a bool", v);
        }
        return Optional.of(b);
    }

    /** An array of strings. */
    public Optional<String[]> optionalStrings(String key) {
        return optionalArray(key, GgufValueType.STRING, "an array of strings").map(a -> (String[]) a.values());
    }

    /** An array of FLOAT32. */
    public Optional<float[]> optionalFloats(String key) {
        return optionalArray(key, GgufValueType.FLOAT32, "an array of FLOAT32").map(a -> (float[]) a.values());
    }

    /** An array of any integer type. */
    public Optional<long[]> optionalIntegers(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v.value() instanceof GgufValue.Array a) || !(a.values() instanceof long[] longs)) {
            throw wrong(key, "an array of integers", v);
        }
        return Optional.of(longs);
    }

    private Optional<GgufValue.Array> optionalArray(String key, GgufValueType element, String expected) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v.value() instanceof GgufValue.Array a) || a.elementType() != element) {
            throw wrong(key, expected, v);
        }
        return Optional.of(a);
    }

    private GgufFormatException missing(String key, String expected) {
        return new GgufFormatException(file + ": key '" + key + "' expected " + expected + ", found it missing");
    }

    private GgufFormatException wrong(String key, String expected, GgufValue v) {
        String found = v.value() instanceof GgufValue.Array a ? "an array of " + a.elementType() : v.type() + " " + v;
        return new GgufFormatException(file + ": key '" + key + "' expected " + expected + ", found " + found);
    }
}
