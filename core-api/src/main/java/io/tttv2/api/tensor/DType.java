package io.tttv2.api.tensor;

/** Element types a tensor can hold. Activations compute in F32; weights stay in their stored type. */
public enum DType {
    F32(4, true),
    BF16(2, true),
    F16(2, true),
    I32(4, false),
    I64(8, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the floating-point types. */
    public boolean isFloating() {
        return floating;
    }
}
