package io.tttv2.api.tensor;

/**
 * Element types a tensor can hold. Activations compute in F32; weights stay in their stored type.
 *
 * <p>The plain types store one element in {@link #byteSize()} bytes. The block-quantised types (GGUF's
 * layouts, byte for byte as ggml defines them) store {@link #blockSize()} elements in {@link #blockBytes()}
 * bytes: a tensor of such a type has its last dimension a whole number of blocks, so a row is whole blocks.
 * Byte sizes come from {@link #bytesFor(long)} for every type; {@link BlockCodec#of(DType)} encodes and decodes.
 */
public enum DType {
    F32(4, 1, true),
    BF16(2, 1, true),
    F16(2, 1, true),
    I32(4, 1, false),
    I64(8, 1, false),
    /** 32 values: an F16 scale d, then 32 int8 q; value = d·q (ggml {@code block_q8_0}, 34 bytes). */
    Q8_0(34, 32, true),
    /** 32 values: an F16 scale d, then 16 bytes of nibbles; value j (j &lt; 16) is the low nibble of byte j,
     *  value j + 16 its high nibble; value = d·(q − 8) (ggml {@code block_q4_0}, 18 bytes). */
    Q4_0(18, 32, true),
    /** 256 values in 8 sub-blocks of 32 with 6-bit scales and mins (ggml {@code block_q4_K}, 144 bytes). */
    Q4_K(144, 256, true),
    /** Q4_K plus a fifth bit per value (ggml {@code block_q5_K}, 176 bytes). */
    Q5_K(176, 256, true),
    /** 256 values in 16 sub-blocks of 16 with int8 scales, 6-bit values (ggml {@code block_q6_K}, 210 bytes). */
    Q6_K(210, 256, true);

    private final int blockBytes;
    private final int blockSize;
    private final boolean floating;

    DType(int blockBytes, int blockSize, boolean floating) {
        this.blockBytes = blockBytes;
        this.blockSize = blockSize;
        this.floating = floating;
    }

    /**
     * Bytes per element of a plain type.
     *
     * @throws UnsupportedOperationException for a block-quantised type, whose elements have no byte size
     *         of their own (use {@link #bytesFor(long)})
     */
    public int byteSize() {
        if (blockSize != 1) {
            throw new UnsupportedOperationException(this + " stores " + blockSize + " values in " + blockBytes
                    + " bytes: an element has no byte size of its own, use bytesFor(elements)");
        }
        return blockBytes;
    }

    /** Elements per block: 1 for the plain types, 32 or 256 for the block-quantised ones. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block (for a plain type, per element). */
    public int blockBytes() {
        return blockBytes;
    }

    /** True for the block-quantised types. */
    public boolean isQuantized() {
        return blockSize != 1;
    }

    /** True for the floating-point types (the block-quantised ones decode to float). */
    public boolean isFloating() {
        return floating;
    }

    /**
     * Bytes that {@code elements} elements occupy.
     *
     * @throws IllegalArgumentException if {@code elements} is negative or not a whole number of blocks
     */
    public long bytesFor(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(this + " stores whole blocks of " + blockSize + " values; "
                    + elements + " elements is not a whole number of blocks");
        }
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }
}
