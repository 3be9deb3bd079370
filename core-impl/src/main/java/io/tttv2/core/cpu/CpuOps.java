package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.OperandChecks.bad;
import static io.tttv2.core.cpu.OperandChecks.dim;
import static io.tttv2.core.cpu.OperandChecks.f32;
import static io.tttv2.core.cpu.OperandChecks.floating;
import static io.tttv2.core.cpu.OperandChecks.notNull;
import static io.tttv2.core.cpu.OperandChecks.rank;
import static io.tttv2.core.cpu.OperandChecks.sameShape;
import static io.tttv2.core.cpu.OperandChecks.unitInnerStride;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.AttentionKernel;
import io.tttv2.core.cpu.kernel.CopyKernel;
import io.tttv2.core.cpu.kernel.DenseAttentionKernel;
import io.tttv2.core.cpu.kernel.ElementwiseKernels.BinaryOp;
import io.tttv2.core.cpu.kernel.KvWriteKernel;
import io.tttv2.core.cpu.kernel.MatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedMatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedMatmuls;
import io.tttv2.core.cpu.kernel.SelectionKernels;
import io.tttv2.core.cpu.kernel.TensorRows;
import io.tttv2.core.cpu.kernel.UnaryOp;
import java.util.Arrays;

/**
 * The op library on the CPU: checks operands, then runs the kernels of {@code io.tttv2.core.cpu.kernel}
 * on the calling thread when the work is small, or split over the {@link WorkerPool} when it is large
 * enough to pay for the hand-off. Each calling thread reuses one loop body per kind of op (matmul,
 * attention, the row-wise ops), and the kernels keep their buffers per thread, so ops allocate nothing.
 */
public final class CpuOps implements Ops {

    /**
     * Below this many multiply-adds (or element operations) an op runs on the caller: a hand-off to
     * spinning workers costs ≈ 1 µs, i.e. some 10⁴ vector multiply-adds.
     */
    static final long PARALLEL_WORK = 1 << 14;

    /**
     * Multiply-adds of the smallest chunk of an in-place matmul: {@link #PARALLEL_WORK}, 32 KiB of BF16 weights at
     * M = 1, about a µs of streaming (docs/kernels.md, "BF16 decode"); no larger, so an op just past the parallel
     * threshold still splits (kjv-tiny's [256, 256] projections: 4 chunks of 64 rows).
     */
    static final long MIN_CHUNK_WORK = PARALLEL_WORK;

    /**
     * Whether matmuls that read their weights in place take shrinking chunks ({@link WorkerPool#parallelForShrinking})
     * rather than equal ones: off unless the system property {@code tttv2.matmul.shrinkingChunks=true}, for A/B runs
     * on a quiet machine (the results are the same bits either way). On the loaded machine it was measured on, the
     * caller waited longer for the worker with shrinking chunks, not shorter (docs/kernels.md, "BF16 decode").
     */
    static final boolean SHRINKING_CHUNKS = Boolean.getBoolean("tttv2.matmul.shrinkingChunks");

    /** Chunks per worker of a matmul's first chunks when the caller names no split (the pool's own). */
    private static final int DEFAULT_SPLIT = 4;

    private static final ThreadLocal<MatmulKernel> MATMUL = ThreadLocal.withInitial(MatmulKernel::new);
    private static final ThreadLocal<AttentionKernel> ATTENTION = ThreadLocal.withInitial(AttentionKernel::new);
    private static final ThreadLocal<DenseAttentionKernel> DENSE_ATTENTION =
            ThreadLocal.withInitial(DenseAttentionKernel::new);
    private static final ThreadLocal<RowOp> ROW_OP = ThreadLocal.withInitial(RowOp::new);

    private final WorkerPool pool;
    private final boolean shrinkingChunks;
    /** Set by the first matmul: tells a {@link KernelWarmUp} of the same device that real work began. */
    private volatile boolean matmulRun;

    public CpuOps(WorkerPool pool) {
        this(pool, SHRINKING_CHUNKS);
    }

    /** shrinkingChunks true: in-place matmuls in shrinking chunks (benchmarks and tests compare the two). */
    CpuOps(WorkerPool pool, boolean shrinkingChunks) {
        this.pool = pool;
        this.shrinkingChunks = shrinkingChunks;
    }

    /** True once a matmul has run on these ops. */
    boolean matmulRun() {
        return matmulRun;
    }

    /** This thread's reusable row-op body. */
    private static RowOp rowOp() {
        return ROW_OP.get();
    }

    /** Runs a bound row op over rows {@code [0, rows)}: inline if {@code work} is small, else split. */
    private void forRows(int rows, long work, RowOp body) {
        try {
            if (work < PARALLEL_WORK || rows < 2) {
                body.run(0, rows);
            } else {
                int granule = (int) Math.max(1, PARALLEL_WORK * rows / work);
                pool.parallelFor(rows, granule, body);
            }
        } finally {
            body.clear();
        }
    }

    // ---- linear algebra --------------------------------------------------------------------------

    @Override
    public void matmul(Tensor x, Tensor w, Tensor bias, Tensor out) {
        matmul(x, w, bias, out, 0);
    }

    /**
     * splitPerWorker: chunks per worker over N (0: the pool's own split); a chunk is a whole number of
     * {@link MatmulKernel#ROW_BLOCK}s.
     */
    @Override
    public void matmul(Tensor x, Tensor w, Tensor bias, Tensor out, int splitPerWorker) {
        String op = "matmul";
        rank(op, "x", x, 2);
        f32(op, "x", x);
        rank(op, "w", w, 2);
        floating(op, "w", w);
        int m = x.dim(0);
        int k = x.dim(1);
        int n = w.dim(0);
        dim(op, "w", w, 1, k, "K, from x", x);
        rank(op, "out", out, 2);
        f32(op, "out", out);
        dim(op, "out", out, 0, m, "M, from x", null);
        dim(op, "out", out, 1, n, "N, from w", w);
        unitInnerStride(op, "x", x);
        unitInnerStride(op, "w", w);
        unitInnerStride(op, "out", out);
        if (bias != null) {
            rank(op, "bias", bias, 1);
            floating(op, "bias", bias);
            dim(op, "bias", bias, 0, n, "N, from w", null);
        }
        if (!matmulRun) {
            matmulRun = true;
        }
        if (w.dtype().isQuantized()) {
            quantizedMatmul(x, w, bias, out, splitPerWorker);
            return;
        }
        MatmulKernel kernel = MATMUL.get();
        kernel.bind(x, w, bias, out);
        try {
            if ((long) m * n * k < PARALLEL_WORK) {
                kernel.run(0, n);
            } else if (shrinkingChunks && kernel.readsInPlace()) {
                pool.parallelForShrinking(n, shrinkingGranule(m, k), split(splitPerWorker), kernel);
            } else {
                pool.parallelFor(n, chunkRows(n, splitPerWorker), kernel);
            }
        } finally {
            kernel.unbind();
        }
    }

    /**
     * The smallest chunk of a matmul whose weights are read in place (decode, small batches): whole row blocks
     * of at least {@link #MIN_CHUNK_WORK} multiply-adds, so the threads end within about a µs of each other while
     * a claim (one CAS, ≈ 0.1 µs) stays small beside the chunk.
     */
    static int shrinkingGranule(int m, int k) {
        long rowWork = Math.max(1L, (long) m * k);
        long blocks = (MIN_CHUNK_WORK + rowWork * MatmulKernel.ROW_BLOCK - 1) / (rowWork * MatmulKernel.ROW_BLOCK);
        return (int) Math.min(1 << 20, blocks) * MatmulKernel.ROW_BLOCK;
    }

    /** Chunks per worker of a matmul's first (largest) chunks: the module's split, or the default. */
    private static int split(int splitPerWorker) {
        return splitPerWorker > 0 ? splitPerWorker : DEFAULT_SPLIT;
    }

    /** One dispatch over the weights' outputs together ({@link GroupedMatmul}); quantised weights one by one. */
    @Override
    public void matmulGroup(Tensor x, Tensor[] w, Tensor[] bias, Tensor[] out, int splitPerWorker) {
        if (!GroupedMatmul.check(x, w, bias, out)) {
            for (int g = 0; g < w.length; g++) {
                matmul(x, w[g], bias[g], out[g], splitPerWorker);
            }
            return;
        }
        matmulRun = true;
        int columns = 0;
        for (Tensor wg : w) {
            columns += wg.dim(0);
        }
        GroupedMatmul.run(pool, x, w, bias, out, PARALLEL_WORK, chunkRows(columns, splitPerWorker),
                shrinkingChunks ? shrinkingGranule(x.dim(0), x.dim(1)) : 0, split(splitPerWorker));
    }

    /** Block-quantised weights: the kernel of w's format, read in place (operands already checked). */
    private void quantizedMatmul(Tensor x, Tensor w, Tensor bias, Tensor out, int splitPerWorker) {
        QuantizedMatmulKernel kernel = QuantizedMatmuls.forThisThread(w.dtype());
        kernel.bind(x, w, bias, out);
        try {
            if ((long) x.dim(0) * w.dim(0) * x.dim(1) < PARALLEL_WORK) {
                kernel.run(0, w.dim(0));
            } else {
                pool.parallelFor(w.dim(0), chunkRows(w.dim(0), splitPerWorker), kernel);
            }
        } finally {
            kernel.unbind();
        }
    }

    /** Rows of w per chunk for a split of {@code splitPerWorker} chunks per worker, a multiple of the row block. */
    private int chunkRows(int n, int splitPerWorker) {
        if (splitPerWorker <= 0) {
            return MatmulKernel.ROW_BLOCK;
        }
        int chunks = pool.parallelism() * splitPerWorker;
        int rows = (n + chunks - 1) / chunks;
        return Math.max(1, (rows + MatmulKernel.ROW_BLOCK - 1) / MatmulKernel.ROW_BLOCK) * MatmulKernel.ROW_BLOCK;
    }

    // ---- normalisation ---------------------------------------------------------------------------

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, float weightOffset, Tensor out) {
        String op = "rmsNorm";
        checkRowOp(op, x, out);
        checkRowWeight(op, "weight", weight, x);
        int rows = TensorRows.count(x);
        int h = TensorRows.width(x);
        forRows(rows, 4L * rows * h, rowOp().bind(RowOp.Kind.RMS_NORM, x, weight, null, out).params(eps, weightOffset));
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        String op = "layerNorm";
        checkRowOp(op, x, out);
        checkRowWeight(op, "weight", weight, x);
        if (bias != null) {
            checkRowWeight(op, "bias", bias, x);
        }
        int rows = TensorRows.count(x);
        int h = TensorRows.width(x);
        forRows(rows, 4L * rows * h, rowOp().bind(RowOp.Kind.LAYER_NORM, x, weight, bias, out).params(eps, 0f));
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        checkRowOp("softmax", x, out);
        int rows = TensorRows.count(x);
        long work = 8L * rows * TensorRows.width(x);
        forRows(rows, work, rowOp().bind(RowOp.Kind.SOFTMAX, x, null, null, out));
    }

    private static void checkRowOp(String op, Tensor x, Tensor out) {
        f32(op, "x", x);
        if (x.rank() < 1) {
            throw bad(op, "x", "rank ≥ 1", "has shape " + Arrays.toString(x.shape()));
        }
        f32(op, "out", out);
        sameShape(op, "out", out, x, "x");
    }

    private static void checkRowWeight(String op, String name, Tensor w, Tensor x) {
        rank(op, name, w, 1);
        floating(op, name, w);
        dim(op, name, w, 0, x.dim(-1), "the last dimension of x", x);
    }

    // ---- position embedding ----------------------------------------------------------------------

    @Override
    public void rotary(Tensor x, Tensor cos, Tensor sin, int[] positions, RotaryStyle style, Tensor out) {
        String op = "rotary";
        rank(op, "x", x, 3);
        f32(op, "x", x);
        f32(op, "out", out);
        sameShape(op, "out", out, x, "x");
        rank(op, "cos", cos, 2);
        floating(op, "cos", cos);
        floating(op, "sin", sin);
        sameShape(op, "sin", sin, cos, "cos");
        notNull(op, "style", style);
        notNull(op, "positions", positions);
        int t = x.dim(0);
        if (2 * cos.dim(1) > x.dim(2)) {
            throw bad(op, "cos", "rotaryDim/2 ≤ headDim/2 = " + x.dim(2) / 2, "has shape " + Arrays.toString(cos.shape()));
        }
        if (positions.length != t) {
            throw bad(op, "positions", t + " positions (dimension 0 of x)", "has length " + positions.length);
        }
        for (int i = 0; i < t; i++) {
            if (positions[i] < 0 || positions[i] >= cos.dim(0)) {
                throw bad(op, "positions[" + i + "]", "a position in [0, " + cos.dim(0) + ") (rows of cos)", "is " + positions[i]);
            }
        }
        long work = 4L * t * x.dim(1) * cos.dim(1);
        forRows(t, work, rowOp().bind(RowOp.Kind.ROTARY, x, cos, sin, out).rotary(style, positions));
    }

    // ---- element-wise ----------------------------------------------------------------------------

    @Override
    public void activation(Activation act, Tensor x, Tensor out) {
        notNull("activation", "act", act);
        unary("activation", UnaryOp.of(act), 0f, x, out);
    }

    @Override
    public void gatedActivation(Activation act, Tensor gate, Tensor up, Tensor out) {
        String op = "gatedActivation";
        notNull(op, "act", act);
        f32(op, "gate", gate);
        f32(op, "up", up);
        f32(op, "out", out);
        sameShape(op, "up", up, gate, "gate");
        sameShape(op, "out", out, gate, "gate");
        UnaryOp f = UnaryOp.of(act);
        int rows = TensorRows.count(out);
        long work = 8L * out.elementCount();
        forRows(rows, work, rowOp().bind(RowOp.Kind.GATED, gate, up, null, out).unary(f));
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        binary("add", BinaryOp.ADD, a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        binary("mul", BinaryOp.MUL, a, b, out);
    }

    @Override
    public void scale(Tensor x, float s, Tensor out) {
        unary("scale", UnaryOp.SCALE, s, x, out);
    }

    @Override
    public void softcap(Tensor x, float cap, Tensor out) {
        if (!(cap > 0)) {
            throw bad("softcap", "cap", "> 0", "is " + cap);
        }
        unary("softcap", UnaryOp.SOFTCAP, cap, x, out);
    }

    private void unary(String op, UnaryOp f, float param, Tensor x, Tensor out) {
        f32(op, "x", x);
        f32(op, "out", out);
        sameShape(op, "out", out, x, "x");
        int rows = TensorRows.count(out);
        long work = (f == UnaryOp.GELU ? 64L : 4L) * out.elementCount();
        forRows(rows, work, rowOp().bind(RowOp.Kind.UNARY, x, null, null, out).unary(f).params(param, 0f));
    }

    private void binary(String op, BinaryOp f, Tensor a, Tensor b, Tensor out) {
        f32(op, "a", a);
        f32(op, "b", b);
        f32(op, "out", out);
        sameShape(op, "b", b, a, "a");
        sameShape(op, "out", out, a, "a");
        int rows = TensorRows.count(out);
        long work = out.elementCount();
        forRows(rows, work, rowOp().bind(RowOp.Kind.BINARY, a, b, null, out).binary(f));
    }

    // ---- data movement ---------------------------------------------------------------------------

    @Override
    public void copy(Tensor src, Tensor dst) {
        String op = "copy";
        notNull(op, "src", src);
        sameShape(op, "dst", dst, src, "src");
        if (src.dtype() != dst.dtype() && !(src.dtype().isFloating() && dst.dtype().isFloating())) {
            throw bad(op, "dst", "dtype " + src.dtype() + " or a float dtype (src is " + src.dtype() + ")",
                    "has dtype " + dst.dtype());
        }
        if (CopyKernel.isFlat(src, dst)) {
            CopyKernel.copyFlat(src, dst);
            return;
        }
        int rows = TensorRows.count(src);
        long work = src.elementCount();
        forRows(rows, work, rowOp().bind(RowOp.Kind.COPY, src, null, null, dst));
    }

    @Override
    public void embedding(Tensor table, int[] ids, Tensor out) {
        String op = "embedding";
        rank(op, "table", table, 2);
        floating(op, "table", table);
        notNull(op, "ids", ids);
        rank(op, "out", out, 2);
        f32(op, "out", out);
        dim(op, "out", out, 0, ids.length, "the number of ids", null);
        dim(op, "out", out, 1, table.dim(1), "H, from table", table);
        long work = (long) ids.length * table.dim(1);
        forRows(ids.length, work, rowOp().bind(RowOp.Kind.EMBEDDING, table, null, null, out).ids(ids));
    }

    // ---- attention over the paged KV cache -------------------------------------------------------

    @Override
    public void writeKv(PagedKvCache cache, int layer, BlockTable table, int start, Tensor k, Tensor v) {
        String op = "writeKv";
        notNull(op, "cache", cache);
        notNull(op, "table", table);
        KvCacheSpec spec = cache.spec();
        checkKvRows(op, "k", k, spec, spec.keyDim(), "keyDim");
        if (spec.storesValues()) {
            notNull(op, "v", v);
            checkKvRows(op, "v", v, spec, spec.valueDim(), "valueDim");
            dim(op, "v", v, 0, k.dim(0), "the tokens of k", null);
        } else if (v != null) {
            throw bad(op, "v", "null: the cache stores no values (they are read from the keys)",
                    "has shape " + Arrays.toString(v.shape()));
        }
        int t = k.dim(0);
        checkRoom(op, table, start + t, spec);
        KvWriteKernel.write(k, cache.keys(layer), table, start, 0, t);
        if (v != null) {
            KvWriteKernel.write(v, cache.values(layer), table, start, 0, t);
        }
    }

    private static void checkKvRows(String op, String name, Tensor t, KvCacheSpec spec, int width, String what) {
        rank(op, name, t, 3);
        f32(op, name, t);
        dim(op, name, t, 1, spec.kvHeads(), "kvHeads of the cache", null);
        dim(op, name, t, 2, width, what + " of the cache", null);
    }

    private static void checkRoom(String op, BlockTable table, int tokens, KvCacheSpec spec) {
        if (table.blockCount() * (long) spec.blockSize() < tokens) {
            throw bad(op, "table", "room for " + tokens + " tokens (call reserve first)",
                    "holds " + table.blockCount() + " blocks of " + spec.blockSize());
        }
    }

    private static void checkQueries(String op, Tensor q, Tensor out, PagedKvCache cache, int layer) {
        rank(op, "q", q, 3);
        f32(op, "q", q);
        f32(op, "out", out);
        rank(op, "out", out, 3);
        notNull(op, "cache", cache);
        KvCacheSpec spec = cache.spec();
        if (q.dim(1) % spec.kvHeads() != 0 || q.dim(1) == 0) {
            throw bad(op, "q", "a multiple of the cache's " + spec.kvHeads() + " kv heads in dimension 1",
                    "has shape " + Arrays.toString(q.shape()));
        }
        dim(op, "q", q, 2, spec.keyDim(), "keyDim of the cache", null);
        if (out.dim(0) != q.dim(0) || out.dim(1) != q.dim(1)) {
            throw bad(op, "out", "shape [" + q.dim(0) + ", " + q.dim(1) + ", Dv] (rows and heads of q)",
                    "has shape " + Arrays.toString(out.shape()));
        }
        if (spec.storesValues()) {
            dim(op, "out", out, 2, spec.valueDim(), "valueDim of the cache", null);
        } else if (out.dim(2) <= 0 || out.dim(2) > spec.keyDim()) {
            throw bad(op, "out", "a value width in (0, " + spec.keyDim() + "] (values are read from the keys)",
                    "has shape " + Arrays.toString(out.shape()));
        }
        if (layer < 0 || layer >= spec.layers()) {
            throw bad(op, "layer", "a layer in [0, " + spec.layers() + ")", "is " + layer);
        }
        unitInnerStride(op, "cache keys", cache.keys(layer));
        if (spec.storesValues()) {
            unitInnerStride(op, "cache values", cache.values(layer));
        }
    }

    @Override
    public void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                                 AttentionParams params, Tensor out) {
        attentionPrefill(q, cache, layer, table, start, params, null, out);
    }

    @Override
    public void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                                 AttentionParams params, Tensor bias, Tensor out) {
        String op = "attentionPrefill";
        checkQueries(op, q, out, cache, layer);
        notNull(op, "params", params);
        notNull(op, "table", table);
        if (start < 0) {
            throw bad(op, "start", "≥ 0", "is " + start);
        }
        checkRoom(op, table, start + q.dim(0), cache.spec());
        if (bias != null) {
            rank(op, "bias", bias, 3);
            f32(op, "bias", bias);
            dim(op, "bias", bias, 0, q.dim(1), "heads, from q", q);
            dim(op, "bias", bias, 1, q.dim(0), "T, from q", q);
            dim(op, "bias", bias, 2, start + q.dim(0), "start + T keys", null);
        }
        AttentionKernel kernel = ATTENTION.get();
        kernel.bindPrefill(q, cache, layer, table, start, params, bias, out);
        runAttention(kernel, (long) q.dim(0) * (start + q.dim(0)) * q.dim(1) * q.dim(2));
    }

    @Override
    public void attentionDecode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions,
                                AttentionParams params, Tensor out) {
        String op = "attentionDecode";
        checkQueries(op, q, out, cache, layer);
        notNull(op, "params", params);
        notNull(op, "tables", tables);
        notNull(op, "positions", positions);
        int b = q.dim(0);
        if (tables.length != b || positions.length != b) {
            throw bad(op, "tables/positions", b + " of each (dimension 0 of q)",
                    "have lengths " + tables.length + "/" + positions.length);
        }
        long keys = 0;
        for (int i = 0; i < b; i++) {
            if (tables[i] == null) {
                throw bad(op, "tables[" + i + "]", "a block table", "is null");
            }
            if (positions[i] < 0) {
                throw bad(op, "positions[" + i + "]", "≥ 0", "is " + positions[i]);
            }
            checkRoom(op, tables[i], positions[i] + 1, cache.spec());
            keys += positions[i] + 1;
        }
        AttentionKernel kernel = ATTENTION.get();
        kernel.bindDecode(q, cache, layer, tables, positions, params, out);
        runAttention(kernel, keys * q.dim(1) * q.dim(2));
    }

    // ---- attention over dense keys and values (encoders, cross-attention) ---------------------------

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, boolean[] keyMask, Tensor bias, AttentionParams params,
                          Tensor out) {
        String op = "attention";
        rank(op, "q", q, 4);
        f32(op, "q", q);
        rank(op, "k", k, 4);
        f32(op, "k", k);
        sameShape(op, "v", v, k, "k");
        f32(op, "v", v);
        f32(op, "out", out);
        sameShape(op, "out", out, q, "q");
        notNull(op, "params", params);
        int b = q.dim(0);
        int tq = q.dim(1);
        int tk = k.dim(1);
        dim(op, "k", k, 0, b, "B, from q", q);
        dim(op, "k", k, 3, q.dim(3), "D, from q", q);
        if (k.dim(2) == 0 || q.dim(2) % k.dim(2) != 0) {
            throw bad(op, "k", "kv heads dividing the " + q.dim(2) + " query heads", "has shape " + Arrays.toString(k.shape()));
        }
        unitInnerStride(op, "k", k);
        unitInnerStride(op, "v", v);
        if (keyMask != null && keyMask.length != b * tk) {
            throw bad(op, "keyMask", b * tk + " flags (B · Tk)", "has " + keyMask.length);
        }
        if (bias != null) {
            rank(op, "bias", bias, 3);
            f32(op, "bias", bias);
            dim(op, "bias", bias, 0, q.dim(2), "heads, from q", q);
            dim(op, "bias", bias, 1, tq, "Tq, from q", q);
            dim(op, "bias", bias, 2, tk, "Tk, from k", k);
        }
        DenseAttentionKernel kernel = DENSE_ATTENTION.get();
        kernel.bind(q, k, v, keyMask, bias, params, out);
        try {
            long work = (long) b * tq * tk * q.dim(2) * q.dim(3);
            if (work < PARALLEL_WORK) {
                kernel.run(0, kernel.items());
            } else {
                pool.parallelFor(kernel.items(), 1, kernel);
            }
        } finally {
            kernel.unbind();
        }
    }

    private void runAttention(AttentionKernel kernel, long work) {
        try {
            if (work < PARALLEL_WORK) {
                kernel.run(0, kernel.items());
            } else {
                pool.parallelFor(kernel.items(), 1, kernel);
            }
        } finally {
            kernel.unbind();
        }
    }

    // ---- selection -------------------------------------------------------------------------------

    @Override
    public void argmax(Tensor logits, int[] out) {
        String op = "argmax";
        f32(op, "logits", logits);
        if (logits.rank() < 1 || logits.rank() > 2 || logits.dim(-1) == 0) {
            throw bad(op, "logits", "[B, V] or [V] with V > 0", "has shape " + Arrays.toString(logits.shape()));
        }
        notNull(op, "out", out);
        int rows = TensorRows.count(logits);
        if (out.length < rows) {
            throw bad(op, "out", "length ≥ " + rows + " (rows of logits)", "has length " + out.length);
        }
        for (int r = 0; r < rows; r++) {
            out[r] = SelectionKernels.argmax(logits, r);
        }
    }

    @Override
    public void topK(Tensor row, int k, int[] indices, float[] values) {
        String op = "topK";
        f32(op, "row", row);
        if (row.rank() != 1 && !(row.rank() == 2 && row.dim(0) == 1)) {
            throw bad(op, "row", "[V] or [1, V]", "has shape " + Arrays.toString(row.shape()));
        }
        int v = row.dim(-1);
        if (k < 1 || k > v) {
            throw bad(op, "k", "in [1, " + v + "]", "is " + k);
        }
        notNull(op, "indices", indices);
        notNull(op, "values", values);
        if (indices.length < k || values.length < k) {
            throw bad(op, "indices/values", "length ≥ k = " + k, "have lengths " + indices.length + "/" + values.length);
        }
        SelectionKernels.topK(row, k, indices, values);
    }
}
