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
import io.tttv2.core.cpu.kernel.Lanes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Ranks ways of running a whole BF16 decode step in one JVM, round-robin (every variant's steps once per round,
 * medians over all steps), so a loaded machine's drift hits them alike. The step is the op sequence of the
 * synthetic Llama-3.2-1B (hidden 2048, 16 layers, 32/8 heads of 64, intermediate 8192, vocab 4096, tied head),
 * random BF16 weights (≈ 2 GB, read from DRAM every step as in the model), at one cache position. A variant is
 * a pool (its idle spin), a chunking of the decode matmuls (equal or shrinking) and separate or grouped
 * projections (q/k/v and gate/up as one dispatch each).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp <test classpath>
 * io.tttv2.core.cpu.DecodeStepRanking rounds stepsPerRound variants}, variants a comma list of
 * {@code equal|shrink[+fused][+spinMICROS]}, e.g. {@code 10 8 equal,shrink,shrink+fused}; with
 * {@code -Dtttv2.pool.trace=true} also how long the caller waited for the worker at the end of each loop.
 */
public final class DecodeStepRanking {

    private static final int HIDDEN = 2048;
    private static final int LAYERS = Integer.getInteger("layers", 16);
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int HEAD_DIM = 64;
    private static final int INTERMEDIATE = 8192;
    private static final int VOCAB = 4096;
    private static final int POSITION = 96;

    private record Variant(String name, WorkerPool pool, Ops ops, boolean fused, List<Long> steps) {
    }

    private final Arena arena = Arena.ofShared();
    private final short[] pattern = new short[1 << 20];
    private long patternAt;

    private final Tensor embed;
    private final Tensor[] norm1 = new Tensor[LAYERS];
    private final Tensor[] norm2 = new Tensor[LAYERS];
    private final Tensor[][] qkv = new Tensor[LAYERS][];
    private final Tensor[] wo = new Tensor[LAYERS];
    private final Tensor[][] gateUp = new Tensor[LAYERS][];
    private final Tensor[] down = new Tensor[LAYERS];
    private final Tensor finalNorm;
    private final Tensor cos = Tensor.allocate(arena, DType.F32, 512, HEAD_DIM / 2);
    private final Tensor sin = Tensor.allocate(arena, DType.F32, 512, HEAD_DIM / 2);

    private final Tensor x = Tensor.allocate(arena, DType.F32, 1, HIDDEN);
    private final Tensor h = Tensor.allocate(arena, DType.F32, 1, HIDDEN);
    private final Tensor q = Tensor.allocate(arena, DType.F32, 1, HEADS * HEAD_DIM);
    private final Tensor k = Tensor.allocate(arena, DType.F32, 1, KV_HEADS * HEAD_DIM);
    private final Tensor v = Tensor.allocate(arena, DType.F32, 1, KV_HEADS * HEAD_DIM);
    private final Tensor attn = Tensor.allocate(arena, DType.F32, 1, HEADS * HEAD_DIM);
    private final Tensor o = Tensor.allocate(arena, DType.F32, 1, HIDDEN);
    private final Tensor g = Tensor.allocate(arena, DType.F32, 1, INTERMEDIATE);
    private final Tensor u = Tensor.allocate(arena, DType.F32, 1, INTERMEDIATE);
    private final Tensor logits = Tensor.allocate(arena, DType.F32, 1, VOCAB);
    private final Tensor[] qkvOut = {q, k, v};
    private final Tensor[] gateUpOut = {g, u};
    private final Tensor[] noBias2 = new Tensor[2];
    private final Tensor[] noBias3 = new Tensor[3];
    private final int[] ids = {17};
    private final int[] positions = {POSITION};
    private final int[] next = new int[1];
    private final AttentionParams params = new AttentionParams((float) (1 / Math.sqrt(HEAD_DIM)), true, 0, 0f);
    private final CpuDevice cacheDevice = new CpuDevice(1);
    private final PagedKvCache cache =
            cacheDevice.allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, HEAD_DIM, 32, 8, DType.F32));
    private final BlockTable table = cache.newSequence();
    private final BlockTable[] tables = {table};

    private DecodeStepRanking() {
        Random r = new Random(1);
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = Lanes.toBf16((r.nextFloat() - 0.5f) * 0.05f);
        }
        embed = weight(VOCAB, HIDDEN);
        for (int l = 0; l < LAYERS; l++) {
            norm1[l] = weight(1, HIDDEN).reshape(HIDDEN);
            norm2[l] = weight(1, HIDDEN).reshape(HIDDEN);
            qkv[l] = new Tensor[] {weight(HEADS * HEAD_DIM, HIDDEN), weight(KV_HEADS * HEAD_DIM, HIDDEN),
                    weight(KV_HEADS * HEAD_DIM, HIDDEN)};
            wo[l] = weight(HIDDEN, HEADS * HEAD_DIM);
            gateUp[l] = new Tensor[] {weight(INTERMEDIATE, HIDDEN), weight(INTERMEDIATE, HIDDEN)};
            down[l] = weight(HIDDEN, INTERMEDIATE);
        }
        finalNorm = weight(1, HIDDEN).reshape(HIDDEN);
        for (int p = 0; p < 512; p++) {
            for (int i = 0; i < HEAD_DIM / 2; i++) {
                double angle = p * Math.pow(500000, -2.0 * i / HEAD_DIM);
                cos.setFloat((float) Math.cos(angle), p, i);
                sin.setFloat((float) Math.sin(angle), p, i);
            }
        }
        table.reserve(POSITION + 1);
    }

    /** A BF16 [rows, cols] weight of random values (the pattern, from a rotating offset). */
    private Tensor weight(int rows, int cols) {
        Tensor t = Tensor.allocate(arena, DType.BF16, rows, cols);
        MemorySegment seg = t.base().asSlice(t.offset() * 2, 2L * rows * cols);
        long elements = (long) rows * cols;
        for (long at = 0; at < elements; ) {
            int from = (int) (patternAt++ * 7919 % (pattern.length / 2));
            int count = (int) Math.min(pattern.length - from, elements - at);
            MemorySegment.copy(pattern, from, seg, ValueLayout.JAVA_SHORT_UNALIGNED, at * 2, count);
            at += count;
        }
        return t;
    }

    private void step(Ops ops, boolean fused) {
        ops.embedding(embed, ids, x);
        for (int l = 0; l < LAYERS; l++) {
            ops.rmsNorm(x, norm1[l], 1e-5f, 0f, h);
            if (fused) {
                ops.matmulGroup(h, qkv[l], noBias3, qkvOut, 4);
            } else {
                ops.matmul(h, qkv[l][0], null, q, 4);
                ops.matmul(h, qkv[l][1], null, k, 4);
                ops.matmul(h, qkv[l][2], null, v, 4);
            }
            Tensor q3 = q.reshape(1, HEADS, HEAD_DIM);
            Tensor k3 = k.reshape(1, KV_HEADS, HEAD_DIM);
            ops.rotary(q3, cos, sin, positions, RotaryStyle.HALF, q3);
            ops.rotary(k3, cos, sin, positions, RotaryStyle.HALF, k3);
            ops.writeKv(cache, l, table, POSITION, k3, v.reshape(1, KV_HEADS, HEAD_DIM));
            ops.attentionDecode(q3, cache, l, tables, positions, params, attn.reshape(1, HEADS, HEAD_DIM));
            ops.matmul(attn, wo[l], null, o, 4);
            ops.add(x, o, x);
            ops.rmsNorm(x, norm2[l], 1e-5f, 0f, h);
            if (fused) {
                ops.matmulGroup(h, gateUp[l], noBias2, gateUpOut, 4);
            } else {
                ops.matmul(h, gateUp[l][0], null, g, 4);
                ops.matmul(h, gateUp[l][1], null, u, 4);
            }
            ops.gatedActivation(Activation.SILU, g, u, g);
            ops.matmul(g, down[l], null, o, 4);
            ops.add(x, o, x);
        }
        ops.rmsNorm(x, finalNorm, 1e-5f, 0f, h);
        ops.matmul(h, embed, null, logits, 4);
        ops.argmax(logits, next);
    }

    private static Variant variant(String spec) {
        long spin = WorkerPool.SPIN_NANOS;
        for (String part : spec.split("\\+")) {
            if (part.startsWith("spin")) {
                spin = Long.parseLong(part.substring(4)) * 1000;
            }
        }
        WorkerPool pool = new WorkerPool(2, "rank-" + spec, spin);
        boolean shrinking = spec.startsWith("shrink");
        return new Variant(spec, pool, new CpuOps(pool, shrinking), spec.contains("+fused"), new ArrayList<>());
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int stepsPerRound = Integer.parseInt(args[1]);
        DecodeStepRanking ranking = new DecodeStepRanking();
        List<Variant> variants = Arrays.stream(args[2].split(",")).map(DecodeStepRanking::variant).toList();
        for (Variant variant : variants) {      // warm-up: compile every path
            for (int i = 0; i < 20; i++) {
                ranking.step(variant.ops(), variant.fused());
            }
        }
        for (Variant variant : variants) {
            variant.pool().tracedLoops = variant.pool().tracedNanos = variant.pool().tracedWaitNanos = 0;
        }
        for (int round = 0; round < rounds; round++) {
            for (Variant variant : variants) {
                for (int i = 0; i < stepsPerRound; i++) {
                    long t0 = System.nanoTime();
                    ranking.step(variant.ops(), variant.fused());
                    variant.steps().add(System.nanoTime() - t0);
                }
            }
        }
        double base = 0;
        for (Variant variant : variants) {
            long[] sorted = variant.steps().stream().mapToLong(Long::longValue).sorted().toArray();
            double median = sorted[sorted.length / 2] / 1e6;
            double p25 = sorted[sorted.length / 4] / 1e6;
            double p75 = sorted[3 * sorted.length / 4] / 1e6;
            if (base == 0) {
                base = median;
            }
            System.out.printf(Locale.ROOT, "%-24s median %7.2f ms (p25 %7.2f, p75 %7.2f) = %5.1f tok/s, %.3f× the first%n",
                    variant.name(), median, p25, p75, 1e3 / median, base / median);
            WorkerPool pool = variant.pool();
            if (WorkerPool.TRACE && pool.tracedLoops > 0) {
                System.out.printf(Locale.ROOT, "%-24s %d loops, %.1f µs each, the caller waited %.1f µs (%.1f%%) after its"
                        + " last chunk%n", "", pool.tracedLoops, pool.tracedNanos / 1e3 / pool.tracedLoops,
                        pool.tracedWaitNanos / 1e3 / pool.tracedLoops, 100.0 * pool.tracedWaitNanos / pool.tracedNanos);
            }
            variant.pool().close();
        }
        ranking.cache.close();
        ranking.cacheDevice.close();
    }
}
