package io.tttv2.core.cpu.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The op sequence of a whole forward pass of the target model — a 6.5M-parameter BF16 Llama (hidden 256,
 * 6 layers, 8 heads / 4 kv heads of dim 32, intermediate 704, vocab 4096) — with random weights, run
 * straight on the ops: one decode step at position 255 (tokens/s = 10⁶ / µs per op) and a prefill of
 * 128 tokens (tokens/s = 128·10⁶ / µs per op). What a module stack adds on top is not measured here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LlamaStepBenchmark {

    private static final int HIDDEN = 256;
    private static final int LAYERS = 6;
    private static final int HEADS = 8;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 32;
    private static final int INTERMEDIATE = 704;
    private static final int VOCAB = 4096;
    private static final int DECODE_POSITION = 255;
    private static final int PREFILL = 128;

    @Param({"1", "2"})
    public int workers;

    private CpuDevice device;
    private Ops ops;
    private PagedKvCache cache;
    private BlockTable decodeTable;
    private BlockTable prefillTable;
    private final Arena arena = Arena.ofShared();

    private Tensor embed;                // [VOCAB, HIDDEN]
    private Tensor[] inputNorm;          // [LAYERS] of [HIDDEN]
    private Tensor[] postNorm;           // [LAYERS] of [HIDDEN]
    private Tensor[] wq;                 // [HEADS*HEAD_DIM, HIDDEN]
    private Tensor[] wk;                 // [KV_HEADS*HEAD_DIM, HIDDEN]
    private Tensor[] wv;                 // [KV_HEADS*HEAD_DIM, HIDDEN]
    private Tensor[] wo;                 // [HIDDEN, HEADS*HEAD_DIM]
    private Tensor[] gate;               // [INTERMEDIATE, HIDDEN]
    private Tensor[] up;                 // [INTERMEDIATE, HIDDEN]
    private Tensor[] down;               // [HIDDEN, INTERMEDIATE]
    private Tensor finalNorm;            // [HIDDEN]
    private Tensor cos;                  // [512, HEAD_DIM/2]
    private Tensor sin;                  // [512, HEAD_DIM/2]
    private AttentionParams params;

    private Activations decode;
    private Activations prefill;
    private final int[] decodePosition = {DECODE_POSITION};
    private final int[] prefillPositions = new int[PREFILL];
    private final int[] decodeIds = {17};
    private final int[] prefillIds = new int[PREFILL];
    private final int[] next = new int[1];
    private BlockTable[] decodeTables;

    /** The activations of T tokens. */
    private final class Activations {
        final Tensor x;       // [T, HIDDEN] residual stream
        final Tensor h;       // [T, HIDDEN] normed
        final Tensor q;       // [T, HEADS*HEAD_DIM]
        final Tensor k;       // [T, KV_HEADS*HEAD_DIM]
        final Tensor v;       // [T, KV_HEADS*HEAD_DIM]
        final Tensor attn;    // [T, HEADS*HEAD_DIM]
        final Tensor o;       // [T, HIDDEN]
        final Tensor g;       // [T, INTERMEDIATE]
        final Tensor u;       // [T, INTERMEDIATE]
        final Tensor logits;  // [1, VOCAB]

        Activations(int t) {
            x = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            h = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            q = Tensor.allocate(arena, DType.F32, t, HEADS * HEAD_DIM);
            k = Tensor.allocate(arena, DType.F32, t, KV_HEADS * HEAD_DIM);
            v = Tensor.allocate(arena, DType.F32, t, KV_HEADS * HEAD_DIM);
            attn = Tensor.allocate(arena, DType.F32, t, HEADS * HEAD_DIM);
            o = Tensor.allocate(arena, DType.F32, t, HIDDEN);
            g = Tensor.allocate(arena, DType.F32, t, INTERMEDIATE);
            u = Tensor.allocate(arena, DType.F32, t, INTERMEDIATE);
            logits = Tensor.allocate(arena, DType.F32, 1, VOCAB);
        }
    }

    private Tensor weight(Random r, int rows, int cols) {
        Tensor t = Tensor.allocate(arena, DType.BF16, rows, cols);
        float scale = (float) (1 / Math.sqrt(cols));
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.setFloat((r.nextFloat() * 2 - 1) * scale, i, j);
            }
        }
        return t;
    }

    private Tensor ones(int n) {
        Tensor t = Tensor.allocate(arena, DType.BF16, n);
        for (int i = 0; i < n; i++) {
            t.setFloat(1f, i);
        }
        return t;
    }

    @Setup(Level.Trial)
    public void setUp() {
        device = new CpuDevice(workers);
        ops = device.ops();
        Random r = new Random(1);
        embed = weight(r, VOCAB, HIDDEN);
        inputNorm = new Tensor[LAYERS];
        postNorm = new Tensor[LAYERS];
        wq = new Tensor[LAYERS];
        wk = new Tensor[LAYERS];
        wv = new Tensor[LAYERS];
        wo = new Tensor[LAYERS];
        gate = new Tensor[LAYERS];
        up = new Tensor[LAYERS];
        down = new Tensor[LAYERS];
        for (int l = 0; l < LAYERS; l++) {
            inputNorm[l] = ones(HIDDEN);
            postNorm[l] = ones(HIDDEN);
            wq[l] = weight(r, HEADS * HEAD_DIM, HIDDEN);
            wk[l] = weight(r, KV_HEADS * HEAD_DIM, HIDDEN);
            wv[l] = weight(r, KV_HEADS * HEAD_DIM, HIDDEN);
            wo[l] = weight(r, HIDDEN, HEADS * HEAD_DIM);
            gate[l] = weight(r, INTERMEDIATE, HIDDEN);
            up[l] = weight(r, INTERMEDIATE, HIDDEN);
            down[l] = weight(r, HIDDEN, INTERMEDIATE);
        }
        finalNorm = ones(HIDDEN);
        cos = Tensor.allocate(arena, DType.F32, 512, HEAD_DIM / 2);
        sin = Tensor.allocate(arena, DType.F32, 512, HEAD_DIM / 2);
        for (int p = 0; p < 512; p++) {
            for (int i = 0; i < HEAD_DIM / 2; i++) {
                double angle = p * Math.pow(10000, -2.0 * i / HEAD_DIM);
                cos.setFloat((float) Math.cos(angle), p, i);
                sin.setFloat((float) Math.sin(angle), p, i);
            }
        }
        params = new AttentionParams((float) (1 / Math.sqrt(HEAD_DIM)), true, 0, 0f);
        cache = device.allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, HEAD_DIM, 32, 32, DType.F32));
        decodeTable = cache.newSequence();
        decodeTable.reserve(DECODE_POSITION + 1);
        prefillTable = cache.newSequence();
        prefillTable.reserve(PREFILL);
        decodeTables = new BlockTable[] {decodeTable};
        for (int i = 0; i < PREFILL; i++) {
            prefillPositions[i] = i;
            prefillIds[i] = r.nextInt(VOCAB);
        }
        decode = new Activations(1);
        prefill = new Activations(PREFILL);
        // fill the decode sequence's cache with plausible keys and values
        for (int p = 0; p < DECODE_POSITION; p += PREFILL) {
            forward(prefill, prefillIds, prefillPositions, decodeTable, p, false);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        device.close();
        arena.close();
    }

    /** One forward over t tokens at positions start.., returning the argmax of the last token's logits. */
    private int forward(Activations a, int[] ids, int[] positions, BlockTable table, int start, boolean isDecode) {
        int t = ids.length;
        for (int i = 0; i < t; i++) {
            positions[i] = start + i;
        }
        ops.embedding(embed, ids, a.x);
        for (int l = 0; l < LAYERS; l++) {
            ops.rmsNorm(a.x, inputNorm[l], 1e-5f, 0f, a.h);
            ops.matmul(a.h, wq[l], null, a.q);
            ops.matmul(a.h, wk[l], null, a.k);
            ops.matmul(a.h, wv[l], null, a.v);
            Tensor q = a.q.reshape(t, HEADS, HEAD_DIM);
            Tensor k = a.k.reshape(t, KV_HEADS, HEAD_DIM);
            ops.rotary(q, cos, sin, positions, RotaryStyle.HALF, q);
            ops.rotary(k, cos, sin, positions, RotaryStyle.HALF, k);
            ops.writeKv(cache, l, table, start, k, a.v.reshape(t, KV_HEADS, HEAD_DIM));
            Tensor attn = a.attn.reshape(t, HEADS, HEAD_DIM);
            if (isDecode) {
                ops.attentionDecode(q, cache, l, decodeTables, positions, params, attn);
            } else {
                ops.attentionPrefill(q, cache, l, table, start, params, attn);
            }
            ops.matmul(a.attn, wo[l], null, a.o);
            ops.add(a.x, a.o, a.x);
            ops.rmsNorm(a.x, postNorm[l], 1e-5f, 0f, a.h);
            ops.matmul(a.h, gate[l], null, a.g);
            ops.matmul(a.h, up[l], null, a.u);
            ops.gatedActivation(Activation.SILU, a.g, a.u, a.g);
            ops.matmul(a.g, down[l], null, a.o);
            ops.add(a.x, a.o, a.x);
        }
        Tensor last = a.x.slice(0, t - 1, 1);
        ops.rmsNorm(last, finalNorm, 1e-5f, 0f, a.h.slice(0, 0, 1));
        ops.matmul(a.h.slice(0, 0, 1), embed, null, a.logits);
        ops.argmax(a.logits, next);
        return next[0];
    }

    @Benchmark
    public int decodeStep() {
        return forward(decode, decodeIds, decodePosition, decodeTable, DECODE_POSITION, true);
    }

    @Benchmark
    public int prefill128() {
        return forward(prefill, prefillIds, prefillPositions, prefillTable, 0, false);
    }
}
