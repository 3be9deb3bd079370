package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/** Picking the largest elements of rows of logits (F32): argmax and top-k, ties to the lower index. */
public final class SelectionKernels {

    private SelectionKernels() {
    }

    /** Index of the first largest element of row {@code row} of {@code logits} (rank 1 or 2). */
    public static int argmax(Tensor logits, int row) {
        int n = TensorRows.width(logits);
        long at = TensorRows.offset(logits, row);
        long stride = TensorRows.innerStride(logits);
        MemorySegment s = logits.base();
        int best = 0;
        float bestValue = s.get(Lanes.F32_LE, at * 4);
        for (int i = 1; i < n; i++) {
            float v = s.get(Lanes.F32_LE, (at + i * stride) * 4);
            if (v > bestValue) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    /**
     * The k largest elements of {@code row} (rank 1), largest first, ties to the lower index: one pass
     * keeping the best k in {@code indices[0..k)} / {@code values[0..k)} by insertion (k is small for
     * sampling; the pass costs O(V) plus O(k) per element that enters the top k).
     */
    public static void topK(Tensor row, int k, int[] indices, float[] values) {
        int n = TensorRows.width(row);
        long at = TensorRows.offset(row, 0);
        long stride = TensorRows.innerStride(row);
        MemorySegment s = row.base();
        int held = 0;
        for (int i = 0; i < n; i++) {
            float v = s.get(Lanes.F32_LE, (at + i * stride) * 4);
            if (held == k && !(v > values[k - 1])) {
                continue;   // not better than the current k-th (an equal value has a higher index)
            }
            int j = held < k ? held++ : k - 1;
            while (j > 0 && v > values[j - 1]) {
                values[j] = values[j - 1];
                indices[j] = indices[j - 1];
                j--;
            }
            values[j] = v;
            indices[j] = i;
        }
    }
}
