package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * The native route of {@link AttentionKernel} (core-impl/src/main/c/paged_attention.c): one downcall per query row
 * and run of its heads, the same bits as the Java kernel compiled by C2 on a 16-lane machine. Its exp is the one
 * C2 calls for {@code lanewise(EXP)} there, the JDK's libjsvml {@code __jsvml_expf16_ha_z0}, whose address is
 * looked up here and passed to every call.
 *
 * <p>Used where {@link NativeKernels#AVAILABLE}, the vectors are 16 floats (the Java kernel's order is then the
 * C kernel's), libjsvml has that symbol, {@code -Dtttv2.kernels.nativeAttention} is not {@code false}, and a call's
 * operands allow it ({@link #takes}); otherwise the Java kernel runs.
 *
 * <p>Per-thread native scratch: F32 [pad16(max(Dk, Dv)) + min(group, 8) · (2 · pad16(max(Dk, Dv)) + pad16(tile))]
 * for the kernel, and the block ids of
 * the sequence in hand as int32; grown when a call needs more, never per call otherwise.
 */
final class NativeAttention {

    /** Whether the route is usable at all (class comment). */
    static final boolean ENABLED;
    /** The address of {@code __jsvml_expf16_ha_z0}, or 0. */
    static final long EXP_FN;

    private static final ThreadLocal<NativeAttention> SCRATCH = ThreadLocal.withInitial(NativeAttention::new);

    static {
        // libjsvml's exp as NativeOps found it (0 where the kernels are not bound, vectors are not 16 floats, or the
        // JDK's vector math library is not svml: then C2's EXP is not that function, and the Java kernel runs)
        long fn = 0;
        if (!"false".equals(System.getProperty("tttv2.kernels.nativeAttention"))) {
            fn = NativeOps.EXP;
        }
        EXP_FN = fn;
        ENABLED = fn != 0;
    }

    private MemorySegment floats = MemorySegment.NULL;
    private MemorySegment ints = MemorySegment.NULL;
    /** The table whose block ids {@link #ints} holds, and how many: valid within one call only. */
    private Object filledTable;
    private int filledBlocks;

    private NativeAttention() {
    }

    /** This thread's scratch. */
    static NativeAttention scratch() {
        return SCRATCH.get();
    }

    /**
     * Whether the native route takes a call with these operands: every tensor in native memory, the cache F32,
     * BF16 or F16 with unit inner strides, no soft-cap (its tanh stays in Java).
     */
    static boolean takes(Tensor q, Tensor out, Tensor keys, Tensor values, Tensor bias, float softcap) {
        DType dt = keys.dtype();
        return ENABLED && softcap == 0 && (dt == DType.F32 || dt == DType.BF16 || dt == DType.F16)
                && values.dtype() == dt && keys.stride(3) == 1 && values.stride(3) == 1
                && q.base().isNative() && out.base().isNative() && keys.base().isNative()
                && values.base().isNative() && (bias == null || bias.base().isNative());
    }

    /** Forgets the block ids held: a new call's tables may have changed. */
    void reset() {
        filledTable = null;
        filledBlocks = 0;
    }

    /**
     * The address of this thread's F32 scratch for head dims d, dv, tiles of tile keys and group query heads per kv
     * head (the kernel takes up to 8 of them together).
     */
    long floats(int d, int dv, int tile, int group) {
        long wide = pad16(Math.max(d, dv));
        long need = 4 * (wide + Math.min(group, 8) * (2 * wide + pad16(tile)));
        floats = NativeScratch.atLeast(floats, need);
        return floats.address();
    }

    /** The address of the block ids of {@code table}'s positions 0 .. last, copied once per table and call. */
    long blocks(io.tttv2.api.kv.BlockTable table, int last, int blockSize) {
        int count = last / blockSize + 1;
        if (table != filledTable || count > filledBlocks) {
            ints = NativeScratch.atLeast(ints, 4L * count);
            for (int i = 0; i < count; i++) {
                ints.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, i, table.block(i));
            }
            filledTable = table;
            filledBlocks = count;
        }
        return ints.address();
    }

    private static long pad16(long n) {
        return (n + 15) & ~15L;
    }

    /** The dtype code of paged_attention.c. */
    static long code(DType dt) {
        return switch (dt) {
            case F32 -> 0;
            case BF16 -> 1;
            default -> 2;
        };
    }

    /** Element {@code e} of t as an address. */
    static long address(Tensor t, long e) {
        return t.base().address() + (t.offset() + e) * t.dtype().byteSize();
    }
}
