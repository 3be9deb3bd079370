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
    U64(8),
    // GGUF's block-quantised types (ggml's layouts): never named by a safetensors header, only by the entries of a
    // GGUF model file (Checkpoint.open on a .gguf). Their bytes are whole blocks: byteSize() is 0.
    Q8_0(0),
    Q4_0(0),
    Q4_K(0),
    Q5_K(0),
    Q6_K(0);

    private final int byteSize;

    Dtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Whether this is a GGUF block-quantised type (bytes per block, not per element). */
    public boolean isBlockQuantised() {
        return byteSize == 0;
    }

    /** Bytes per element; 0 for the block-quantised types. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype a header names ({@code "F32"}, {@code "BF16"}, …), exactly as spelled; empty if unknown. */
    public static Optional<Dtype> fromHeaderName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name) && !d.isBlockQuantised()) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** "BOOL, U8, …": for error messages that list what was expected. */
    static String knownNames() {
        return Arrays.stream(values()).filter(d -> !d.isBlockQuantised()).map(Dtype::name).collect(Collectors.joining(", "));
    }
}
