package io.tttv2.api.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Reads and writes the values of one block-quantised {@link DType} in ggml's byte layout. Element indices
 * count from the start of a segment that begins on a block boundary; whole-row calls take whole blocks.
 *
 * <p>Decoding is defined for every block type; encoding for {@link DType#Q8_0} and {@link DType#Q4_0}, rounding
 * exactly as ggml's reference quantiser ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref}) does, so
 * that a file written here holds the bytes llama.cpp would write from the same floats.
 */
public sealed interface BlockCodec permits Q8_0Codec, Q4_0Codec, Q4_KCodec, Q5_KCodec, Q6_KCodec {

    /** The codec of a block-quantised type. */
    static BlockCodec of(DType dtype) {
        return switch (dtype) {
            case Q8_0 -> Q8_0Codec.INSTANCE;
            case Q4_0 -> Q4_0Codec.INSTANCE;
            case Q4_K -> Q4_KCodec.INSTANCE;
            case Q5_K -> Q5_KCodec.INSTANCE;
            case Q6_K -> Q6_KCodec.INSTANCE;
            case F32, BF16, F16, I32, I64 -> throw new IllegalArgumentException(dtype + " is not block-quantised");
        };
    }

    DType dtype();

    /** Value of element {@code element} of {@code blocks}. */
    float decode(MemorySegment blocks, long element);

    /**
     * Decodes {@code count} values starting at element {@code first} of {@code blocks} into
     * {@code out[outOffset …]}; {@code first} and {@code count} are whole blocks.
     */
    void decode(MemorySegment blocks, long first, float[] out, int outOffset, int count);

    /** True if {@link #encode} is defined for this type. */
    default boolean canEncode() {
        return false;
    }

    /**
     * Quantises {@code values[offset, offset + count)} into the blocks of {@code blocks} starting at element
     * {@code first}; {@code first} and {@code count} are whole blocks.
     *
     * @throws UnsupportedOperationException for a type without an encoder here (the K-quants)
     */
    default void encode(float[] values, int offset, int count, MemorySegment blocks, long first) {
        throw new UnsupportedOperationException("encoding " + dtype() + " is not supported (only Q8_0 and Q4_0)");
    }

    /** Byte offset of the block holding element {@code first}, checking {@code first} and {@code count}. */
    static long blockOffset(DType dtype, long first, long count) {
        int n = dtype.blockSize();
        if (first % n != 0 || count % n != 0) {
            throw new IllegalArgumentException(dtype + " rows are whole blocks of " + n + " values; found first "
                    + first + ", count " + count);
        }
        return first / n * dtype.blockBytes();
    }
}
