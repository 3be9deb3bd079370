package io.tttv2.integration.hf.safetensors;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The element types a safetensors header may name, with their size in bytes. Knowing a dtype is not the same
 * as computing with it: which of these a module supports is the caller's decision.
 *
 * <p>The constants are declared in HuggingFace's order of increasing alignment ({@code safetensors::Dtype});
 * {@link SafetensorsWriter} lays tensors out by that order, descending, as HuggingFace does, so that each
 * tensor starts at a multiple of its element size.
 */
@ProviderType
public enum Dtype {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    F64(8),
    I64(8),
    U64(8);

    private final int byteSize;

    Dtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype a header names ({@code "F32"}, {@code "BF16"}, …), exactly as spelled; empty if unknown. */
    public static Optional<Dtype> fromHeaderName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** "BOOL, U8, …": for error messages that list what was expected. */
    static String knownNames() {
        return Arrays.stream(values()).map(Dtype::name).collect(Collectors.joining(", "));
    }
}
