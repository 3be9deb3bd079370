package io.tttv2.core.cpu;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
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

/**
 * Gets the Vector API kernels compiled by C2 before a fresh process's first prefill needs them. The
 * Vector API runs hundreds of times slower interpreted or in C1 (every vector is an object), so without
 * this the first prompt of a process ran at a quarter of warm speed on a 1B model and at a few tokens/s on
 * a tiny one. The warm-up runs, on its own thread while the host starts and the model loads, the op
 * sequence of a small Llama block — prefill (M ≥ 4: the tiled matmul) and decode (M = 1: weights read in
 * place) — on its own single-threaded {@link CpuOps}, and stops as soon as the device runs its first
 * real matmul.
 *
 * <p>So as not to mislead C2's profiles, the warm-up feeds the kernels what a real model feeds them:
 * BF16 weights in a read-only memory-mapped segment (as safetensors weights are mapped), F32 activations
 * and KV cache in native memory. A profile that had only seen native weight segments would compile code
 * that traps on the first mapped one.
 */
final class KernelWarmUp implements Runnable {

    /** Hidden 256, 8 heads / 4 KV heads of 32, intermediate 704: kjv-tiny's block shapes. */
    private static final int HIDDEN = 256;
    private static final int HEADS = 8;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 32;
    private static final int INTERMEDIATE = 704;
    private static final int PROMPT = 16;
    private static final int MAX_POSITIONS = 64;
    /**
     * Prefill + decode rounds at most: past C2's back-edge thresholds for every kernel loop (≈ 0.3 s of one
     * core once compiled); the warm-up usually ends earlier, when real work starts.
     */
    static final int DEFAULT_ROUNDS = 300;

    private final BooleanSupplier realWorkStarted;
    private final int rounds;
    private volatile boolean stopped;

    /** A warm-up of at most {@code rounds} rounds that stops once {@code realWorkStarted} says so. */
    KernelWarmUp(BooleanSupplier realWorkStarted, int rounds) {
        this.realWorkStarted = realWorkStarted;
        this.rounds = rounds;
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

    /** Rounds completed by the last {@link #run}. */
    private volatile int completed;

    int completedRounds() {
        return completed;
    }

    @Override
    public void run() {
        try (WorkerPool pool = new WorkerPool(1, "tttv2-warmup");
             Arena arena = Arena.ofConfined()) {
            Block block = new Block(arena, weights(arena));
            Ops ops = new CpuOps(pool);
            try {
                for (int r = 0; r < rounds && !done(); r++) {
                    block.prefillThenDecode(ops);
                    completed = r + 1;
                }
            } finally {
                block.cache.close();
            }
        } catch (RuntimeException | IOException e) {
            // a warm-up that fails costs only the first prompt's speed; the device works without it
        }
    }

    private boolean done() {
        return stopped || realWorkStarted.getAsBoolean();
    }

    /** Room for every BF16 weight of the block, mapped read-only from a deleted temporary file. */
    private static MemorySegment weights(Arena arena) throws IOException {
        long bytes = 2L * Block.WEIGHT_ELEMENTS;
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

    /** Small BF16 values (±1/64 steps) so activations stay finite through the block; one bulk copy. */
    private static void fill(MemorySegment segment) {
        short[] values = new short[(int) (segment.byteSize() / 2)];
        for (int i = 0; i < values.length; i++) {
            float v = ((i * 7919L) % 33 - 16) / 1024f;
            values[i] = (short) (Float.floatToRawIntBits(v) >>> 16);
        }
        MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_SHORT_UNALIGNED, 0, values.length);
    }

    /** One Llama decoder block and its activations. */
    private final class Block {

        static final long WEIGHT_ELEMENTS = (long) HIDDEN * (HEADS + 2 * KV_HEADS) * HEAD_DIM
                + (long) HEADS * HEAD_DIM * HIDDEN + 3L * INTERMEDIATE * HIDDEN + 2L * HIDDEN;

        final Tensor wq;        // [HEADS*HEAD_DIM, HIDDEN] BF16
        final Tensor wk;        // [KV_HEADS*HEAD_DIM, HIDDEN]
        final Tensor wv;        // [KV_HEADS*HEAD_DIM, HIDDEN]
        final Tensor wo;        // [HIDDEN, HEADS*HEAD_DIM]
        final Tensor gate;      // [INTERMEDIATE, HIDDEN]
        final Tensor up;        // [INTERMEDIATE, HIDDEN]
        final Tensor down;      // [HIDDEN, INTERMEDIATE]
        final Tensor norm;      // [HIDDEN]
        final Tensor embed;     // [INTERMEDIATE, HIDDEN]: gate's rows serve as the token table
        final Tensor cos;       // [MAX_POSITIONS, HEAD_DIM/2] F32
        final Tensor sin;
        final Activations prompt;
        final Activations step;
        final AttentionParams params = new AttentionParams((float) (1 / Math.sqrt(HEAD_DIM)), true, 0, 0f);
        final PagedKvCache cache = new CpuPagedKvCache(
                KvCacheSpec.forHeads(1, KV_HEADS, HEAD_DIM, KvCacheSpec.DEFAULT_BLOCK_SIZE, 4, DType.F32));
        final int[] promptIds = new int[PROMPT];
        final int[] promptPositions = new int[PROMPT];
        final int[] stepIds = {3};
        final int[] stepPosition = new int[1];
        final int[] next = new int[1];

        Block(Arena arena, MemorySegment weights) {
            long[] at = {0};
            wq = slice(weights, at, HEADS * HEAD_DIM, HIDDEN);
            wk = slice(weights, at, KV_HEADS * HEAD_DIM, HIDDEN);
            wv = slice(weights, at, KV_HEADS * HEAD_DIM, HIDDEN);
            wo = slice(weights, at, HIDDEN, HEADS * HEAD_DIM);
            gate = slice(weights, at, INTERMEDIATE, HIDDEN);
            up = slice(weights, at, INTERMEDIATE, HIDDEN);
            down = slice(weights, at, HIDDEN, INTERMEDIATE);
            norm = slice(weights, at, 1, HIDDEN).reshape(HIDDEN);
            embed = gate;
            cos = Tensor.allocate(arena, DType.F32, MAX_POSITIONS, HEAD_DIM / 2);
            sin = Tensor.allocate(arena, DType.F32, MAX_POSITIONS, HEAD_DIM / 2);
            for (int p = 0; p < MAX_POSITIONS; p++) {
                for (int i = 0; i < HEAD_DIM / 2; i++) {
                    double angle = p * Math.pow(10000, -2.0 * i / HEAD_DIM);
                    cos.setFloat((float) Math.cos(angle), p, i);
                    sin.setFloat((float) Math.sin(angle), p, i);
                }
            }
            for (int i = 0; i < PROMPT; i++) {
                promptIds[i] = (i * 37) % INTERMEDIATE;
            }
            prompt = new Activations(arena, PROMPT);
            step = new Activations(arena, 1);
        }

        private static Tensor slice(MemorySegment weights, long[] at, int rows, int cols) {
            long bytes = 2L * rows * cols;
            Tensor t = Tensor.wrap(weights.asSlice(at[0], bytes), DType.BF16, rows, cols);
            at[0] += bytes;
            return t;
        }

        /** A prompt of PROMPT tokens, then decode steps to the end of the positions, in a new sequence. */
        void prefillThenDecode(Ops ops) {
            BlockTable table = cache.newSequence();
            try {
                table.reserve(MAX_POSITIONS);
                for (int i = 0; i < PROMPT; i++) {
                    promptPositions[i] = i;
                }
                forward(ops, prompt, promptIds, promptPositions, table, 0);
                for (int p = PROMPT; p < PROMPT + 8 && !done(); p++) {
                    stepPosition[0] = p;
                    stepIds[0] = next[0];
                    forward(ops, step, stepIds, stepPosition, table, p);
                }
            } finally {
                table.release();
            }
        }

        /** The block over t tokens at positions[0]..: norm, QKV, rotary, cache, attention, MLP, head. */
        private void forward(Ops ops, Activations a, int[] ids, int[] positions, BlockTable table, int start) {
            int t = ids.length;
            ops.embedding(embed, ids, a.x);
            ops.rmsNorm(a.x, norm, 1e-5f, 0f, a.h);
            ops.matmul(a.h, wq, null, a.q);
            ops.matmul(a.h, wk, null, a.k);
            ops.matmul(a.h, wv, null, a.v);
            Tensor q = a.q.reshape(t, HEADS, HEAD_DIM);
            Tensor k = a.k.reshape(t, KV_HEADS, HEAD_DIM);
            ops.rotary(q, cos, sin, positions, RotaryStyle.HALF, q);
            ops.rotary(k, cos, sin, positions, RotaryStyle.HALF, k);
            ops.writeKv(cache, 0, table, start, k, a.v.reshape(t, KV_HEADS, HEAD_DIM));
            Tensor attn = a.attn.reshape(t, HEADS, HEAD_DIM);
            if (t > 1) {
                ops.attentionPrefill(q, cache, 0, table, start, params, attn);
            } else {
                ops.attentionDecode(q, cache, 0, new BlockTable[] {table}, positions, params, attn);
            }
            ops.matmul(a.attn, wo, null, a.o);
            ops.add(a.x, a.o, a.x);
            ops.rmsNorm(a.x, norm, 1e-5f, 0f, a.h);
            ops.matmul(a.h, gate, null, a.g);
            ops.matmul(a.h, up, null, a.u);
            ops.gatedActivation(Activation.SILU, a.g, a.u, a.g);
            ops.matmul(a.g, down, null, a.o);
            ops.add(a.x, a.o, a.x);
            Tensor last = a.x.slice(0, t - 1, 1);
            ops.rmsNorm(last, norm, 1e-5f, 0f, a.h.slice(0, 0, 1));
            ops.matmul(a.h.slice(0, 0, 1), gate, null, a.logits);
            ops.argmax(a.logits, next);
        }
    }

    /** The activations of t tokens. */
    private static final class Activations {
        final Tensor x;       // [t, HIDDEN] residual stream
        final Tensor h;       // [t, HIDDEN] normed
        final Tensor q;       // [t, HEADS*HEAD_DIM]
        final Tensor k;       // [t, KV_HEADS*HEAD_DIM]
        final Tensor v;       // [t, KV_HEADS*HEAD_DIM]
        final Tensor attn;    // [t, HEADS*HEAD_DIM]
        final Tensor o;       // [t, HIDDEN]
        final Tensor g;       // [t, INTERMEDIATE]
        final Tensor u;       // [t, INTERMEDIATE]
        final Tensor logits;  // [1, INTERMEDIATE]: the head reuses gate as its weight

        Activations(Arena arena, int t) {
            x = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            h = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            q = Tensor.allocate(arena, DType.F32, t, HEADS * HEAD_DIM);
            k = Tensor.allocate(arena, DType.F32, t, KV_HEADS * HEAD_DIM);
            v = Tensor.allocate(arena, DType.F32, t, KV_HEADS * HEAD_DIM);
            attn = Tensor.allocate(arena, DType.F32, t, HEADS * HEAD_DIM);
            o = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            g = Tensor.allocate(arena, DType.F32, t, INTERMEDIATE);
            u = Tensor.allocate(arena, DType.F32, t, INTERMEDIATE);
            logits = Tensor.allocate(arena, DType.F32, 1, INTERMEDIATE);
        }
    }
}
