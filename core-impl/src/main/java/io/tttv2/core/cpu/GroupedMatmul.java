package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.OperandChecks.bad;
import static io.tttv2.core.cpu.OperandChecks.dim;
import static io.tttv2.core.cpu.OperandChecks.f32;
import static io.tttv2.core.cpu.OperandChecks.floating;
import static io.tttv2.core.cpu.OperandChecks.rank;
import static io.tttv2.core.cpu.OperandChecks.unitInnerStride;

import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.MatmulKernel;

/**
 * {@link io.tttv2.api.ops.Ops#matmulGroup}: G matmuls of one x [M, K] against w[g] [N_g, K] as one dispatch over
 * the N_0 + … + N_{G-1} output columns together, so the pool is entered once (not G times) and its chunks balance
 * over all of them. Each weight keeps its own {@link MatmulKernel}, bound once per call; a chunk that straddles two
 * weights runs the end of one and the start of the next. A kernel computes each output column alone, in the same
 * order whatever range it is given, so every out[g] equals its own matmul bit for bit. Weights are not copied.
 *
 * <p>One body per calling thread (its kernels and offsets grow to the largest group seen), so a call allocates
 * nothing once warm.
 */
final class GroupedMatmul {

    private static final ThreadLocal<Body> BODY = ThreadLocal.withInitial(Body::new);

    private GroupedMatmul() {
    }

    /** The loop body over the concatenated columns: [start[g], start[g+1]) are weight g's. */
    private static final class Body implements WorkerPool.RangeBody {
        MatmulKernel[] kernels = new MatmulKernel[0];
        int[] start = new int[1];
        int groups;

        void bind(Tensor x, Tensor[] w, Tensor[] bias, Tensor[] out) {
            int g = w.length;
            if (kernels.length < g) {
                MatmulKernel[] grown = new MatmulKernel[g];
                System.arraycopy(kernels, 0, grown, 0, kernels.length);
                for (int i = kernels.length; i < g; i++) {
                    grown[i] = new MatmulKernel();
                }
                kernels = grown;
                start = new int[g + 1];
            }
            groups = g;
            for (int i = 0; i < g; i++) {
                kernels[i].bind(x, w[i], bias[i], out[i]);
                start[i + 1] = start[i] + w[i].dim(0);
            }
        }

        int columns() {
            return start[groups];
        }

        /** True if every weight of the bound group is read in place ({@link MatmulKernel#readsInPlace}). */
        boolean readsInPlace() {
            for (int i = 0; i < groups; i++) {
                if (!kernels[i].readsInPlace()) {
                    return false;
                }
            }
            return true;
        }

        void unbind() {
            for (int i = 0; i < groups; i++) {
                kernels[i].unbind();
            }
        }

        @Override
        public void run(int from, int to) {
            for (int i = 0; i < groups; i++) {
                int lo = Math.max(from, start[i]);
                int hi = Math.min(to, start[i + 1]);
                if (lo < hi) {
                    kernels[i].run(lo - start[i], hi - start[i]);
                }
            }
        }
    }

    /**
     * Checks the operands as {@link CpuOps#matmul} does, names the group index in a refusal; returns false when the
     * group must run weight by weight instead (block-quantised weights, whose kernels have their own dispatch).
     */
    static boolean check(Tensor x, Tensor[] w, Tensor[] bias, Tensor[] out) {
        String op = "matmulGroup";
        if (w == null || bias == null || out == null || w.length == 0 || bias.length != w.length || out.length != w.length) {
            throw bad(op, "w/bias/out", "arrays of one equal, positive length",
                    (w == null ? "null" : w.length) + "/" + (bias == null ? "null" : bias.length) + "/"
                            + (out == null ? "null" : out.length));
        }
        rank(op, "x", x, 2);
        f32(op, "x", x);
        unitInnerStride(op, "x", x);
        boolean fusable = true;
        for (int g = 0; g < w.length; g++) {
            String wg = "w[" + g + "]";
            rank(op, wg, w[g], 2);
            floating(op, wg, w[g]);
            dim(op, wg, w[g], 1, x.dim(1), "K, from x", x);
            unitInnerStride(op, wg, w[g]);
            String og = "out[" + g + "]";
            rank(op, og, out[g], 2);
            f32(op, og, out[g]);
            dim(op, og, out[g], 0, x.dim(0), "M, from x", null);
            dim(op, og, out[g], 1, w[g].dim(0), "N, from " + wg, w[g]);
            unitInnerStride(op, og, out[g]);
            if (bias[g] != null) {
                rank(op, "bias[" + g + "]", bias[g], 1);
                floating(op, "bias[" + g + "]", bias[g]);
                dim(op, "bias[" + g + "]", bias[g], 0, w[g].dim(0), "N, from " + wg, null);
            }
            fusable &= !w[g].dtype().isQuantized();
        }
        return fusable;
    }

    /**
     * Runs a checked group: serially when small; else over the pool, in shrinking chunks of at least
     * {@code shrinkingGranule} columns, {@code split} per worker at first, when every weight is read in place and
     * {@code shrinkingGranule} &gt; 0, or in equal chunks of {@code chunkRows} columns.
     */
    static void run(WorkerPool pool, Tensor x, Tensor[] w, Tensor[] bias, Tensor[] out, long parallelWork,
                    int chunkRows, int shrinkingGranule, int split) {
        Body body = BODY.get();
        body.bind(x, w, bias, out);
        try {
            int n = body.columns();
            if ((long) x.dim(0) * n * x.dim(1) < parallelWork) {
                body.run(0, n);
            } else if (shrinkingGranule > 0 && body.readsInPlace()) {
                pool.parallelForShrinking(n, shrinkingGranule, split, body);
            } else {
                pool.parallelFor(n, chunkRows, body);
            }
        } finally {
            body.unbind();
        }
    }
}
