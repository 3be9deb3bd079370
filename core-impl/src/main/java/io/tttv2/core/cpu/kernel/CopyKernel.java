package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Copies between tensors of one shape, row by row, converting between float dtypes (to BF16 and F16 with
 * round-to-nearest-even). Same-dtype rows with unit stride are copied as bytes; a row widened to F32 with
 * unit strides goes a vector at a time.
 */
public final class CopyKernel {

    private CopyKernel() {
    }

    /** Copies rows {@code [from, to)} of src into dst. */
    public static void copy(Tensor src, Tensor dst, int from, int to) {
        int n = TensorRows.width(src);
        DType st = src.dtype();
        DType dt = dst.dtype();
        long s1 = TensorRows.innerStride(src);
        long d1 = TensorRows.innerStride(dst);
        MemorySegment ss = src.base();
        MemorySegment ds = dst.base();
        boolean unit = s1 == 1 && d1 == 1;
        for (int row = from; row < to; row++) {
            long sa = TensorRows.offset(src, row);
            long da = TensorRows.offset(dst, row);
            if (st == dt) {
                int size = st.byteSize();
                if (unit) {
                    MemorySegment.copy(ss, sa * size, ds, da * size, (long) n * size);
                } else {
                    for (int i = 0; i < n; i++) {
                        MemorySegment.copy(ss, (sa + i * s1) * size, ds, (da + i * d1) * size, size);
                    }
                }
                continue;
            }
            if (unit && dt == DType.F32) {
                Lanes.widen(st, ss, sa, n, ds, da, ThreadScratch.floats(ThreadScratch.ROW, n));
            } else {
                for (int i = 0; i < n; i++) {
                    Lanes.write(dt, ds, da + i * d1, Lanes.read(st, ss, sa + i * s1));
                }
            }
        }
    }

    /** True if the whole of src can be copied into dst as one block of bytes. */
    public static boolean isFlat(Tensor src, Tensor dst) {
        return src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous();
    }

    /** Copies a contiguous src into a contiguous dst of the same dtype as one block. */
    public static void copyFlat(Tensor src, Tensor dst) {
        long size = src.dtype().byteSize();
        MemorySegment.copy(src.base(), src.offset() * size, dst.base(), dst.offset() * size, src.elementCount() * size);
    }
}
