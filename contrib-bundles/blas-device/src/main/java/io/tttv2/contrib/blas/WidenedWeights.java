package io.tttv2.contrib.blas;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * sgemm reads F32 only: each BF16 or F16 weight matrix is widened to F32 once, the first time it is
 * multiplied, and kept as long as the weight tensor is (a weak map keyed by the tensor instance, which its
 * module holds for its life). Memory: 4 bytes per parameter on top of the mapped checkpoint — twice a
 * 16-bit checkpoint's size (for a 1B-parameter BF16 model, +4 GB off-heap). Widening is exact.
 */
final class WidenedWeights {

    private final Map<Tensor, Tensor> widened = new WeakHashMap<>();    // tensors compare by identity
    private final Ops ops;

    WidenedWeights(Ops ops) {
        this.ops = ops;
    }

    /** {@code w} itself if contiguous F32, else its F32 copy (made once). w [N, K]. */
    Tensor f32(Tensor w) {
        if (w.dtype() == DType.F32 && w.isContiguous()) {
            return w;
        }
        synchronized (widened) {
            Tensor f = widened.get(w);
            if (f == null) {
                f = Tensor.allocate(Arena.ofAuto(), DType.F32, w.shape());
                ops.copy(w, f);
                widened.put(w, f);
            }
            return f;
        }
    }

    /** Widened copies held now. */
    int size() {
        synchronized (widened) {
            return widened.size();
        }
    }
}
