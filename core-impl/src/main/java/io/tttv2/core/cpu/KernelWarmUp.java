package io.tttv2.core.cpu;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kv.CpuPagedKvCache;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Gets the Vector API kernels compiled by C2 before a fresh process's first prefill needs them. The Vector API
 * runs hundreds of times slower interpreted or in C1 (every vector is an object), so without this the first
 * prompt of a process runs at a fraction of warm speed (docs/loading.md). The warm-up runs, on its own thread
 * while the host starts and the model loads, the ops of a decoder layer on its own single-threaded
 * {@link CpuOps}, and stops as soon as the device runs its first real matmul.
 *
 * <p>What matters is that it takes the routes a model's calls take, not a model's sizes: the matmul loops are
 * chosen by dtype, M (rows of x) and K (see {@link io.tttv2.core.cpu.kernel.MatmulKernel#bf16Routes}), so each
 * matmul here has a real M and K but only {@link #COLUMNS} output columns. A round is a prompt of
 * {@link #GEMM_PROMPT} tokens (the packed prefill GEMM), one of {@link #BATCH_PROMPT} tokens (the in-place
 * small-batch loops), each followed by decode steps (the matrix–vector loops, the LM head's included); the
 * projections have K = {@link #HIDDEN} (the loops of a 1B model's K of 2048) and {@link #SHORT_K} (a small model's
 * loops), decode also K = {@link #LONG_K} (a 1B model's down projection); around them norm, rotary, KV write,
 * tiled attention, SiLU gate, residual add, embedding and argmax, with a 1B model's head width (64), grouping
 * (4 query heads per KV head) and KV tile.
 *
 * <p>Off by default ({@link CpuDevice#WARM_UP_PROPERTY}): measured on the shared 2-core machine it did not bring
 * the first token forward (docs/loading.md): on two busy cores it gets half a second of CPU before the model's
 * first matmul, saves about as much on the prefill's threads, and delays the load by competing with it.
 *
 * <p>So as not to mislead C2's profiles, the warm-up feeds the kernels what a real model feeds them: BF16
 * weights in a read-only memory-mapped segment of a shared arena (as safetensors weights are mapped), F32
 * activations and norm scales in native memory of an automatic arena, the KV cache a {@code CpuPagedKvCache}.
 * A profile that had only seen native weight segments, or a confined arena's owner check, would compile code
 * that traps on the first real call ({@code -Xlog:deoptimization*=trace} shows such traps).
 */
final class KernelWarmUp implements Runnable {

    /** K of the warmed projections: a 1B model's hidden size takes the same loops (≥ 1024, ≤ 4096). */
    static final int HIDDEN = 1024;
    /** K past the sequential decode loops' limit (4096), as a 1B model's down projection (8192). */
    static final int LONG_K = 4352;
    /** K of a small model's rows (kjv-tiny: 256 and 704), which take the short-row and tiled loops. */
    static final int SHORT_K = 256;
    /** Output columns of every warmed matmul: two 12-column GEMM tiles and a partial one, as a worker's chunk has. */
    static final int COLUMNS = 28;
    /** Rows of the prompt that takes the packed GEMM (more than the small-batch limit of 16). */
    static final int GEMM_PROMPT = 32;
    /** Rows of the prompt that takes the in-place small-batch loops (a 16-token prompt). */
    static final int BATCH_PROMPT = 16;
    /** Decode steps after each prompt. */
    static final int DECODE_STEPS = 2;
    /** A 1B model's head: 64 wide, 4 query heads per KV head. */
    static final int HEAD_DIM = 64;
    static final int HEADS = 4;
    static final int KV_HEADS = 1;
    private static final int MAX_POSITIONS = GEMM_PROMPT + DECODE_STEPS;
    private static final int[] KS = {HIDDEN, LONG_K, SHORT_K};

    /**
     * Rounds at most: past C2's thresholds for every kernel loop; the warm-up usually ends earlier, when real work
     * starts.
     */
    static final int DEFAULT_ROUNDS = 300;

    private final BooleanSupplier realWorkStarted;
    private final int rounds;
    private final UnaryOperator<Ops> wrap;
    private volatile boolean stopped;
    /** Rounds completed by the last {@link #run}. */
    private volatile int completed;
    /** The failure that ended the last {@link #run}, or null. */
    private volatile RuntimeException failure;

    /** A warm-up of at most {@code rounds} rounds that stops once {@code realWorkStarted} says so. */
    KernelWarmUp(BooleanSupplier realWorkStarted, int rounds) {
        this(realWorkStarted, rounds, UnaryOperator.identity());
    }

    /** As above, its ops passed through {@code wrap} (a test records the calls). */
    KernelWarmUp(BooleanSupplier realWorkStarted, int rounds, UnaryOperator<Ops> wrap) {
        this.realWorkStarted = realWorkStarted;
        this.rounds = rounds;
        this.wrap = wrap;
    }

    /** Starts the warm-up on a daemon thread. */
    Thread start() {
        Thread t = new Thread(this, "tttv2-cpu-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Asks the warm-up to stop after the op in progress. */
    void stop() {
        stopped = true;
    }

    int completedRounds() {
        return completed;
    }

    RuntimeException failure() {
        return failure;
    }

    @Override
    public void run() {
        // the arenas a model's memory comes from: weights mapped in a shared arena (as a checkpoint's), the rest in
        // an automatic one (as module workspaces); a confined arena's owner check, hoisted into the kernels' loops
        // by C2, would trap on the first real call
        try (WorkerPool pool = new WorkerPool(1, "tttv2-warmup");
             Arena mapping = Arena.ofShared()) {
            Layer layer = new Layer(Arena.ofAuto(), weights(mapping));
            Ops ops = wrap.apply(new CpuOps(pool));
            try {
                for (int r = 0; r < rounds && !done(); r++) {
                    layer.round(ops);
                    completed = r + 1;
                }
            } finally {
                layer.cache.close();
            }
        } catch (RuntimeException e) {
            // a warm-up that fails costs only the first prompt's speed; the device works without it
            failure = e;
        } catch (IOException e) {
            failure = new IllegalStateException("warm-up weights: " + e.getMessage(), e);
        }
    }

    private boolean done() {
        return stopped || realWorkStarted.getAsBoolean();
    }

    /** Room for every BF16 weight, mapped read-only from a deleted temporary file. */
    private static MemorySegment weights(Arena arena) throws IOException {
        long bytes = 2L * Layer.WEIGHT_ELEMENTS;
        Path file = Files.createTempFile("tttv2-warmup", ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(0);
            channel.write(ByteBuffer.allocate(1), bytes - 1);
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            fill(segment);
            return segment.asReadOnly();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Small BF16 values (±1/64 steps) so activations stay finite; one bulk copy. */
    private static void fill(MemorySegment segment) {
        short[] values = new short[(int) (segment.byteSize() / 2)];
        for (int i = 0; i < values.length; i++) {
            float v = ((i * 7919L) % 33 - 16) / 1024f;
            values[i] = (short) (Float.floatToRawIntBits(v) >>> 16);
        }
        MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_SHORT_UNALIGNED, 0, values.length);
    }

    /** The weights and activations of the warmed ops. */
    private final class Layer {

        static final long WEIGHT_ELEMENTS = (long) COLUMNS * (HIDDEN + LONG_K + SHORT_K);

        final Tensor[] w = new Tensor[KS.length];  // [COLUMNS, K] BF16, one per K of KS
        final Tensor embed;                        // [COLUMNS, HIDDEN]: w[0]'s rows serve as the token table
        final Tensor norm;                         // [HIDDEN] F32, as norm scales are widened at load
        final Tensor cos;                          // [MAX_POSITIONS, HEAD_DIM/2] F32
        final Tensor sin;
        final Activations prompt;
        final Activations batch;
        final Activations step;
        final AttentionParams params = new AttentionParams((float) (1 / Math.sqrt(HEAD_DIM)), true, 0, 0f,
                ModuleConfig.defaultKvTile(HEAD_DIM, HEAD_DIM));
        final PagedKvCache cache = new CpuPagedKvCache(KvCacheSpec.forHeads(1, KV_HEADS, HEAD_DIM,
                KvCacheSpec.DEFAULT_BLOCK_SIZE, 2 * (MAX_POSITIONS / KvCacheSpec.DEFAULT_BLOCK_SIZE + 1), DType.F32));
        final int[] stepPosition = new int[1];
        final int[] next = new int[1];

        Layer(Arena arena, MemorySegment weights) {
            long at = 0;
            for (int i = 0; i < KS.length; i++) {
                long bytes = 2L * COLUMNS * KS[i];
                w[i] = Tensor.wrap(weights.asSlice(at, bytes), DType.BF16, COLUMNS, KS[i]);
                at += bytes;
            }
            embed = w[0];
            norm = Tensor.allocate(arena, DType.F32, HIDDEN);
            for (int i = 0; i < HIDDEN; i++) {
                norm.setFloat(1f + (i % 7) / 64f, i);
            }
            cos = Tensor.allocate(arena, DType.F32, MAX_POSITIONS, HEAD_DIM / 2);
            sin = Tensor.allocate(arena, DType.F32, MAX_POSITIONS, HEAD_DIM / 2);
            for (int p = 0; p < MAX_POSITIONS; p++) {
                for (int i = 0; i < HEAD_DIM / 2; i++) {
                    double angle = p * Math.pow(10000, -2.0 * i / HEAD_DIM);
                    cos.setFloat((float) Math.cos(angle), p, i);
                    sin.setFloat((float) Math.sin(angle), p, i);
                }
            }
            prompt = new Activations(arena, GEMM_PROMPT);
            batch = new Activations(arena, BATCH_PROMPT);
            step = new Activations(arena, 1);
        }

        /** A prompt that takes the GEMM, one that takes the small-batch loops, each followed by decode steps. */
        void round(Ops ops) {
            sequence(ops, prompt);
            sequence(ops, batch);
        }

        /** A new sequence: its prompt of a.t tokens, then decode steps. */
        private void sequence(Ops ops, Activations a) {
            BlockTable table = cache.newSequence();
            try {
                table.reserve(MAX_POSITIONS);
                forward(ops, a, a.positions, table, 0);
                for (int s = 0; s < DECODE_STEPS && !done(); s++) {
                    stepPosition[0] = a.t + s;
                    step.ids[0] = next[0];
                    forward(ops, step, stepPosition, table, a.t + s);
                }
            } finally {
                table.release();
            }
        }

        /**
         * The ops of a layer and the head over a.t tokens at positions at[0]..: the projections at K =
         * {@link #HIDDEN} and {@link #SHORT_K}; the down projection at K = {@link #LONG_K} in decode only, the
         * one route where that K differs (interpreted, a prompt's rows of it would cost more than all the rest).
         */
        private void forward(Ops ops, Activations a, int[] at, BlockTable table, int start) {
            int t = a.t;
            ops.embedding(embed, a.ids, a.x);
            ops.rmsNorm(a.x, norm, 1e-5f, 0f, a.h);
            ops.matmul(a.h, w[0], null, a.gate);
            ops.matmul(a.h, w[0], null, a.up);
            ops.matmul(a.shortIn, w[2], null, a.shortOut);
            ops.rotary(a.q, cos, sin, at, RotaryStyle.HALF, a.q);
            ops.rotary(a.k, cos, sin, at, RotaryStyle.HALF, a.k);
            ops.writeKv(cache, 0, table, start, a.k, a.v);
            if (t > 1) {
                ops.attentionPrefill(a.q, cache, 0, table, start, params, a.attn);
            } else {
                ops.attentionDecode(a.q, cache, 0, new BlockTable[] {table}, at, params, a.attn);
                ops.matmul(a.longIn, w[1], null, a.shortOut);
            }
            // a model's gate is thousands wide: a row of 28 would profile the loop's tail as its main path
            ops.gatedActivation(Activation.SILU, a.h, a.x, a.wide);
            ops.add(a.x, a.h, a.x);
            Tensor last = a.x.slice(0, t - 1, 1);
            ops.rmsNorm(last, norm, 1e-5f, 0f, a.h.slice(0, 0, 1));
            ops.matmul(a.h.slice(0, 0, 1), w[0], null, a.logits);
            ops.argmax(a.logits, next);
        }
    }

    /** The activations of t tokens; the matmuls' other inputs are fixed values, their outputs only written. */
    private static final class Activations {
        final int t;
        final int[] ids;
        final int[] positions; // 0 .. t-1
        final Tensor x;        // [t, HIDDEN] residual stream
        final Tensor h;        // [t, HIDDEN] normed
        final Tensor wide;     // [t, HIDDEN] the gated activation of h and x
        final Tensor gate;     // [t, COLUMNS]
        final Tensor up;       // [t, COLUMNS]
        final Tensor shortIn;  // [t, SHORT_K]
        final Tensor shortOut; // [t, COLUMNS]
        final Tensor longIn;   // [t, LONG_K]: decode only
        final Tensor q;        // [t, HEADS, HEAD_DIM] fixed values, rotated in place (a rotation keeps them bounded)
        final Tensor k;        // [t, KV_HEADS, HEAD_DIM]
        final Tensor v;        // [t, KV_HEADS, HEAD_DIM]
        final Tensor attn;     // [t, HEADS, HEAD_DIM]
        final Tensor logits;   // [1, COLUMNS]

        Activations(Arena arena, int t) {
            this.t = t;
            ids = new int[t];
            positions = new int[t];
            for (int i = 0; i < t; i++) {
                ids[i] = (i * 5) % COLUMNS;
                positions[i] = i;
            }
            x = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            h = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            wide = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            gate = Tensor.allocate(arena, DType.F32, t, COLUMNS);
            up = Tensor.allocate(arena, DType.F32, t, COLUMNS);
            shortIn = filled(arena, t, SHORT_K);
            shortOut = Tensor.allocate(arena, DType.F32, t, COLUMNS);
            longIn = t == 1 ? filled(arena, t, LONG_K) : null;
            q = filled(arena, t, HEADS * HEAD_DIM).reshape(t, HEADS, HEAD_DIM);
            k = filled(arena, t, KV_HEADS * HEAD_DIM).reshape(t, KV_HEADS, HEAD_DIM);
            v = filled(arena, t, KV_HEADS * HEAD_DIM).reshape(t, KV_HEADS, HEAD_DIM);
            attn = Tensor.allocate(arena, DType.F32, t, HEADS, HEAD_DIM);
            logits = Tensor.allocate(arena, DType.F32, 1, COLUMNS);
        }

        private static Tensor filled(Arena arena, int rows, int cols) {
            Tensor a = Tensor.allocate(arena, DType.F32, rows, cols);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    a.setFloat(((r * 31 + c * 17) % 41 - 20) / 64f, r, c);
                }
            }
            return a;
        }
    }
}
