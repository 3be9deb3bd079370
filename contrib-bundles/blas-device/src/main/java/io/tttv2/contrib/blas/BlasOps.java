package io.tttv2.contrib.blas;

import com.sun.jna.Pointer;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * The op library with matmul on OpenBLAS: {@code out = x · wᵀ (+ bias)} is one {@code cblas_sgemm}
 * (row-major, B transposed: w [N, K] is read as wᵀ [K, N] in place), the bias first copied into every row
 * of out and added by beta = 1. BF16/F16 weights are widened once ({@link WidenedWeights}); block-quantised weights are not (the CPU's
 * kernel for their format reads them in place). Operands sgemm
 * cannot address (strided, not native memory, not rank 2) go to the CPU's matmul. Every other op is the
 * CPU device's.
 */
final class BlasOps implements Ops {

    private final CBlas blas;
    private final Ops cpu;
    private final WidenedWeights weights;

    BlasOps(CBlas blas, Ops cpu) {
        this.blas = blas;
        this.cpu = cpu;
        this.weights = new WidenedWeights(cpu);
    }

    @Override
    public void matmul(Tensor x, Tensor w, Tensor bias, Tensor out) {
        if (!sgemmCanRun(x, w, bias, out)) {
            cpu.matmul(x, w, bias, out);
            return;
        }
        int m = x.dim(0);
        int k = x.dim(1);
        int n = w.dim(0);
        MemorySegment c = out.segment();                    // [M, N]
        if (bias != null) {
            MemorySegment b = bias.segment();               // [N]
            for (int row = 0; row < m; row++) {
                MemorySegment.copy(b, 0, c, (long) row * n * 4, (long) n * 4);
            }
        }
        Tensor w32 = weights.f32(w);                        // [N, K] F32
        blas.cblas_sgemm(CBlas.ROW_MAJOR, CBlas.NO_TRANS, CBlas.TRANS, m, n, k, 1f,
                pointer(x.segment()), k, pointer(w32.segment()), k, bias != null ? 1f : 0f, pointer(c), n);
    }

    /** Weight matrices widened to F32 so far (for tests: quantised ones never are). */
    int widenedWeights() {
        return weights.size();
    }

    /** x [M, K] F32, w [N, K] float, bias [N] F32 or null, out [M, N] F32; contiguous, native, no aliasing. */
    private static boolean sgemmCanRun(Tensor x, Tensor w, Tensor bias, Tensor out) {
        if (x.rank() != 2 || w.rank() != 2 || out.rank() != 2 || x.dim(1) != w.dim(1) || out.dim(0) != x.dim(0)
                || out.dim(1) != w.dim(0) || x.dim(0) == 0 || w.dim(0) == 0 || x.dim(1) == 0) {
            return false;       // the CPU's matmul reports the shape error in the project's words
        }
        if (w.dtype().isQuantized()) {
            // sgemm reads F32 only, and widening a block-quantised matrix would undo what quantising saved
            // (4 bytes per parameter instead of ≈ 1 or ½): the CPU's kernel for the format reads it in place
            return false;
        }
        if (x.dtype() != DType.F32 || out.dtype() != DType.F32 || !w.dtype().isFloating()
                || !x.isContiguous() || !out.isContiguous() || !w.isContiguous()
                || !x.base().isNative() || !out.base().isNative() || !w.base().isNative()) {
            return false;
        }
        if (bias != null && (bias.dtype() != DType.F32 || !bias.isContiguous() || bias.rank() != 1
                || bias.dim(0) != w.dim(0))) {
            return false;
        }
        return !x.segment().asOverlappingSlice(out.segment()).isPresent();
    }

    private static Pointer pointer(MemorySegment segment) {
        return new Pointer(segment.address());
    }

    // ---- everything else: the CPU device's ops ---------------------------------------------------

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, float weightOffset, Tensor out) {
        cpu.rmsNorm(x, weight, eps, weightOffset, out);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        cpu.layerNorm(x, weight, bias, eps, out);
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        cpu.softmax(x, out);
    }

    @Override
    public void rotary(Tensor x, Tensor cos, Tensor sin, int[] positions, RotaryStyle style, Tensor out) {
        cpu.rotary(x, cos, sin, positions, style, out);
    }

    @Override
    public void activation(Activation act, Tensor x, Tensor out) {
        cpu.activation(act, x, out);
    }

    @Override
    public void gatedActivation(Activation act, Tensor gate, Tensor up, Tensor out) {
        cpu.gatedActivation(act, gate, up, out);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        cpu.add(a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        cpu.mul(a, b, out);
    }

    @Override
    public void scale(Tensor x, float s, Tensor out) {
        cpu.scale(x, s, out);
    }

    @Override
    public void softcap(Tensor x, float cap, Tensor out) {
        cpu.softcap(x, cap, out);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        cpu.copy(src, dst);
    }

    @Override
    public void embedding(Tensor table, int[] ids, Tensor out) {
        cpu.embedding(table, ids, out);
    }

    @Override
    public void writeKv(PagedKvCache cache, int layer, BlockTable table, int start, Tensor k, Tensor v) {
        cpu.writeKv(cache, layer, table, start, k, v);
    }

    @Override
    public void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                                 AttentionParams params, Tensor out) {
        cpu.attentionPrefill(q, cache, layer, table, start, params, out);
    }

    @Override
    public void attentionDecode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions,
                                AttentionParams params, Tensor out) {
        cpu.attentionDecode(q, cache, layer, tables, positions, params, out);
    }

    @Override
    public void argmax(Tensor logits, int[] out) {
        cpu.argmax(logits, out);
    }

    @Override
    public void topK(Tensor row, int k, int[] indices, float[] values) {
        cpu.topK(row, k, indices, values);
    }

    @Override
    public void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                                 AttentionParams params, Tensor bias, Tensor out) {
        cpu.attentionPrefill(q, cache, layer, table, start, params, bias, out);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, boolean[] keyMask, Tensor bias, AttentionParams params,
                          Tensor out) {
        cpu.attention(q, k, v, keyMask, bias, params, out);
    }
}
