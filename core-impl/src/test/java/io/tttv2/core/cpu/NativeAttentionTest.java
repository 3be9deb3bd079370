package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.NativeKernelsTesting.requireNativeKernels;
import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static io.tttv2.core.cpu.TestTensors.roundTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.AttentionRoute;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.Test;

/**
 * The native paged attention (core-impl/src/main/c/paged_attention.c) against the Java kernel it replaces, forced
 * onto its Java code: the same bits, over F32, BF16 and F16 caches, head dims 64, 128, 48 (a multiple of 16, not
 * of 32), 40 and 33 (tails, odd), GQA ratios 1, 2 and 4, blocks of 16 and of 5, untiled and tiles of 16 and 7 keys,
 * causal prefill from position 29, bidirectional prefill, a window, a score bias, a latent cache (values read
 * from the keys, Dv below Dk, 12 query heads on its one kv head), and decode rows each with its own table and position; key counts mostly not
 * multiples of 16. Also: the route is really taken, stays near the float64 reference, and a soft-cap keeps the
 * Java route.
 *
 * <p>The Java kernel gives its defining bits only once C2 has compiled it: interpreted or in C1 the Vector API adds
 * lanes one by one and takes exp per lane from Math.exp, where C2 adds them in a tree and calls libjsvml. So the
 * bit-for-bit test runs the Java route over every case round after round until C2's code is in place, and fails
 * if native and Java still differ after {@link #WARM_LIMIT_MS}.
 */
class NativeAttentionTest {

    private static final long WARM_LIMIT_MS = 120_000;
    private static final int KV_HEADS = 2;

    /** One prepared attention call; {@link #run} writes its out. */
    private record Case(String name, Runnable call, Tensor out, double[] reference) {

        float[] run() {
            call.run();
            return out.toFloatArray();
        }
    }

    /** Every case, its caches kept open in {@code caches}. */
    private static List<Case> cases(Ops ops, CpuDevice device, List<PagedKvCache> caches) {
        List<Case> all = new ArrayList<>();
        int index = 0;
        for (DType kv : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            for (int d : new int[] {64, 128, 48, 40, 33}) {
                for (int groups : new int[] {1, 4, 2}) {
                    int block = index % 2 == 0 ? 16 : 5;
                    int tile = new int[] {0, 16, 7}[index % 3];
                    Random r = new Random(1000L * index + d);
                    boolean decode = index % 2 == 1;
                    all.add(decode ? decodeCase(r, ops, device, caches, kv, d, groups, block, tile)
                            : prefillCase(r, ops, device, caches, kv, d, groups, block, tile, index % 4 == 0, index % 5 == 2,
                                    index % 6 == 4 ? 9 : 0));
                    index++;
                }
            }
            all.add(latentCase(new Random(77 + kv.ordinal()), ops, device, caches, kv));
        }
        return all;
    }

    private static AttentionParams params(int d, boolean causal, int window, int tile) {
        // scores of a few units: the softmax is neither flat nor one-hot
        return new AttentionParams((float) (3 / Math.sqrt(d)), causal, window, 0f, tile);
    }

    /** q [11, heads, d] at positions 29..39 of a sequence whose blocks alternate with another's. */
    private static Case prefillCase(Random r, Ops ops, CpuDevice device, List<PagedKvCache> caches, DType kv, int d,
                                    int groups, int block, int tile, boolean bidirectional, boolean withBias, int window) {
        int start = 29;
        int t = 11;
        int len = start + t;
        int heads = KV_HEADS * groups;
        PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, KV_HEADS, d, block, 40, kv));
        caches.add(cache);
        BlockTable table = cache.newSequence();
        BlockTable other = cache.newSequence();
        AttentionTest.reserveInterleaved(table, len, other, len);
        Tensor k = random(r, DType.F32, len, KV_HEADS, d);
        Tensor v = random(r, DType.F32, len, KV_HEADS, d);
        ops.writeKv(cache, 0, table, 0, k, v);
        Tensor q = random(r, DType.F32, t, heads, d);
        Tensor bias = withBias ? random(r, DType.F32, heads, t, len) : null;
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, t, heads, d);
        AttentionParams p = params(d, !bidirectional, window, tile);
        double[] reference = withBias ? null
                : AttentionTest.reference(q, stored(k, kv), stored(v, kv), start, p);
        String name = "prefill kv " + kv + " d=" + d + " groups=" + groups + " block=" + block + " tile=" + tile
                + (bidirectional ? " bidirectional" : "") + (withBias ? " bias" : "") + " window=" + window;
        return new Case(name, () -> ops.attentionPrefill(q, cache, 0, table, start, p, bias, out), out,
                reference);
    }

    /** Three rows: sequences of 1, 37 and 53 tokens, each row at its last position, blocks interleaved. */
    private static Case decodeCase(Random r, Ops ops, CpuDevice device, List<PagedKvCache> caches, DType kv, int d,
                                   int groups, int block, int tile) {
        int[] lengths = {1, 37, 53};
        int heads = KV_HEADS * groups;
        PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, KV_HEADS, d, block, 40, kv));
        caches.add(cache);
        BlockTable[] tables = new BlockTable[lengths.length];
        for (int i = 0; i < tables.length; i++) {
            tables[i] = cache.newSequence();
        }
        AttentionTest.reserveInterleaved(tables[1], lengths[1], tables[2], lengths[2]);
        tables[0].reserve(lengths[0]);
        int[] positions = new int[lengths.length];
        for (int i = 0; i < tables.length; i++) {
            ops.writeKv(cache, 0, tables[i], 0, random(r, DType.F32, lengths[i], KV_HEADS, d),
                    random(r, DType.F32, lengths[i], KV_HEADS, d));
            positions[i] = lengths[i] - 1;
        }
        Tensor q = random(r, DType.F32, lengths.length, heads, d);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, lengths.length, heads, d);
        AttentionParams p = params(d, true, 0, tile);
        String name = "decode kv " + kv + " d=" + d + " groups=" + groups + " block=" + block + " tile=" + tile;
        return new Case(name, () -> ops.attentionDecode(q, cache, 0, tables, positions, p, out), out, null);
    }

    /**
     * A latent cache (one kv head, entries of 176, no values): 12 heads (more than the 8 the kernel takes together)
     * read values from the first 144 of each key (9 F32 chunks: more than the 8 it keeps in registers).
     */
    private static Case latentCase(Random r, Ops ops, CpuDevice device, List<PagedKvCache> caches, DType kv) {
        int dk = 176;
        int dv = 144;
        int len = 29;
        PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(1, 1, dk, 0, 8, 8, kv));
        caches.add(cache);
        BlockTable table = cache.newSequence();
        table.reserve(len);
        ops.writeKv(cache, 0, table, 0, random(r, DType.F32, len, 1, dk), null);
        Tensor q = random(r, DType.F32, 3, 12, dk);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, 12, dv);
        AttentionParams p = params(dk, true, 0, 7);
        return new Case("latent kv " + kv, () -> ops.attentionPrefill(q, cache, 0, table, len - 3, p, out), out, null);
    }

    private static float[][][] stored(Tensor t, DType dtype) {
        float[][][] out = new float[t.dim(0)][t.dim(1)][t.dim(2)];
        for (int a = 0; a < t.dim(0); a++) {
            for (int b = 0; b < t.dim(1); b++) {
                for (int c = 0; c < t.dim(2); c++) {
                    out[a][b][c] = roundTo(dtype, t.getFloat(a, b, c));
                }
            }
        }
        return out;
    }

    private static void close(List<PagedKvCache> caches) {
        for (PagedKvCache c : caches) {
            c.close();
        }
    }

    @Test
    void nativeGivesTheBitsOfTheJavaKernelAsC2CompilesIt() {
        requireNativeKernels();
        assertTrue(AttentionRoute.enabled(), "native attention not enabled on a machine that runs the native kernels");
        CpuDevice device = device(2);
        List<PagedKvCache> caches = new ArrayList<>();
        try {
            List<Case> cases = cases(device.ops(), device, caches);
            List<float[]> expected = new ArrayList<>();
            for (Case c : cases) {
                expected.add(c.run());
                assertTrue(AttentionRoute.lastCallNative(), c.name + ": the native route was not taken");
                assertEquals(List.of(), diff(expected.getLast(), c.run(), c.name), "native runs differ");
            }
            long deadline = System.currentTimeMillis() + WARM_LIMIT_MS;
            List<String> mismatches;
            int round = 0;
            boolean old = AttentionRoute.javaOnly(true);
            try {
                do {
                    mismatches = new ArrayList<>();
                    for (int i = 0; i < cases.size(); i++) {
                        mismatches.addAll(diff(expected.get(i), cases.get(i).run(), cases.get(i).name));
                        assertFalse(AttentionRoute.lastCallNative(), "the Java route was not taken");
                    }
                    round++;
                } while (!mismatches.isEmpty() && System.currentTimeMillis() < deadline);
            } finally {
                AttentionRoute.javaOnly(old);
            }
            assertEquals(List.of(), mismatches.stream().limit(5).toList(),
                    mismatches.size() + " outputs differ after " + round + " rounds of the Java route");
        } finally {
            close(caches);
        }
    }

    /** The first differences of two outputs, bit for bit. */
    private static List<String> diff(float[] expected, float[] actual, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < expected.length && out.size() < 3; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                out.add(name + " [" + i + "]: native " + expected[i] + " Java " + actual[i]);
            }
        }
        return out;
    }

    @Test
    void nativeRouteStaysNearTheFloat64Reference() {
        requireNativeKernels();
        CpuDevice device = device(1);
        List<PagedKvCache> caches = new ArrayList<>();
        try {
            int checked = 0;
            for (Case c : cases(device.ops(), device, caches)) {
                if (c.reference != null) {
                    c.run();
                    assertTrue(AttentionRoute.lastCallNative(), c.name);
                    assertClose(c.reference, c.out, 1e-5, 1e-5, c.name);
                    checked++;
                }
            }
            assertTrue(checked >= 15, "only " + checked + " cases checked");
        } finally {
            close(caches);
        }
    }

    @Test
    void aSoftCapKeepsTheJavaRoute() {
        requireNativeKernels();
        Random r = new Random(3);
        Ops ops = device(1).ops();
        try (PagedKvCache cache = device(1).allocateKvCache(KvCacheSpec.forHeads(1, KV_HEADS, 32, 4, 16, DType.F32))) {
            BlockTable t = cache.newSequence();
            t.reserve(9);
            ops.writeKv(cache, 0, t, 0, random(r, DType.F32, 9, KV_HEADS, 32), random(r, DType.F32, 9, KV_HEADS, 32));
            Tensor q = random(r, DType.F32, 9, 4, 32);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 9, 4, 32);
            ops.attentionPrefill(q, cache, 0, t, 0, new AttentionParams(0.2f, true, 0, 0f), out);
            assertTrue(AttentionRoute.lastCallNative(), "no soft-cap: native");
            ops.attentionPrefill(q, cache, 0, t, 0, new AttentionParams(0.2f, true, 0, 1.5f), out);
            assertFalse(AttentionRoute.lastCallNative(), "a soft-cap: Java");
        }
    }

    /**
     * The exp the native kernel calls (libjsvml's, through paged_attention.c) is the Vector API's EXP as C2 runs it:
     * equal bits over ordinary, tiny, huge and special arguments once the loop below is compiled.
     */
    @Test
    void theNativeExpIsTheVectorExpOfC2() {
        requireNativeKernels();
        Random r = new Random(11);
        int n = 4096;
        float[] in = new float[n];
        for (int i = 0; i < n; i++) {
            in[i] = switch (i % 4) {
                case 0 -> Float.intBitsToFloat(r.nextInt());
                case 1 -> -r.nextFloat() * 110;
                default -> (float) (r.nextGaussian() * 8);
            };
        }
        float[] special = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, -0f, -87.33655f, -103.97208f, 88.72284f,
            88.72285f, Float.MIN_VALUE, -Float.MIN_VALUE};
        System.arraycopy(special, 0, in, 0, special.length);
        float[] nat = AttentionRoute.nativeExp(in);
        float[] java = new float[n];
        long deadline = System.currentTimeMillis() + WARM_LIMIT_MS;
        List<String> mismatches;
        do {
            vectorExp(in, java);
            mismatches = diff(nat, java, "exp");
        } while (!mismatches.isEmpty() && System.currentTimeMillis() < deadline);
        assertEquals(List.of(), mismatches);
    }

    private static void vectorExp(float[] in, float[] out) {
        for (int i = 0; i < in.length; i += FloatVector.SPECIES_512.length()) {
            FloatVector.fromArray(FloatVector.SPECIES_512, in, i).lanewise(VectorOperators.EXP).intoArray(out, i);
        }
    }
}
