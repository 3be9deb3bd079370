package io.tttv2.core.cpu.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.cpu.kernel.AttentionRoute;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Random;

/**
 * The Java paged attention against the native one (paged_attention.c), round-robin in one JVM: each round runs
 * every shape once per route, so drift on a shared machine falls on both alike; medians of the rounds are
 * compared. Shapes (F32 cache, blocks of 32): kjv-tiny's decode step of 8 rows (8 heads, 4 kv heads, D 32) at
 * positions 64..512, Llama-3.2-1B's decode of 1 row (32 heads, 8 kv heads, D 64) at 100 and 1000, and its prefill
 * of 16 and 64 tokens from position 0.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes
 * io.tttv2.core.cpu.bench.NativeAttentionBench [workers] [rounds]}.
 */
public final class NativeAttentionBench {

    private NativeAttentionBench() {
    }

    /** One attention call ready to run. */
    private interface Call {
        void run();
    }

    public static void main(String[] args) {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        System.out.println("native attention " + (AttentionRoute.enabled() ? "enabled" : "NOT enabled"));
        Arena arena = Arena.ofShared();
        try (CpuDevice device = new CpuDevice(workers)) {
            Ops ops = device.ops();
            Random r = new Random(1);
            String[] names = {"tiny decode 8 rows", "1B decode @100", "1B decode @1000", "1B prefill 16", "1B prefill 64"};
            Call[] calls = {
                decode(arena, r, device, ops, 8, 4, 32, new int[] {64, 130, 200, 260, 333, 400, 450, 512}),
                decode(arena, r, device, ops, 32, 8, 64, new int[] {100}),
                decode(arena, r, device, ops, 32, 8, 64, new int[] {1000}),
                prefill(arena, r, device, ops, 32, 8, 64, 16),
                prefill(arena, r, device, ops, 32, 8, 64, 64),
            };
            int[] reps = {200, 400, 60, 60, 8};
            double[][][] times = new double[calls.length][2][rounds];       // [shape][java, native][round]
            for (int round = -3; round < rounds; round++) {
                for (int s = 0; s < calls.length; s++) {
                    for (int route = 0; route < 2; route++) {
                        AttentionRoute.javaOnly(route == 0);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps[s]; i++) {
                            calls[s].run();
                        }
                        double us = (System.nanoTime() - t0) / 1e3 / reps[s];
                        if (round >= 0) {
                            times[s][route][round] = us;
                        }
                    }
                }
            }
            AttentionRoute.javaOnly(false);
            for (int s = 0; s < calls.length; s++) {
                double java = median(times[s][0]);
                double nat = median(times[s][1]);
                System.out.printf("%-20s Java %8.1f us  native %8.1f us  Java/native %.2f%n", names[s], java, nat,
                        java / nat);
            }
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static Call decode(Arena arena, Random r, CpuDevice device, Ops ops, int heads, int kvHeads, int d,
                               int[] positions) {
        int max = Arrays.stream(positions).max().getAsInt() + 1;
        PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, kvHeads, d, 32,
                positions.length * (max / 32 + 1), DType.F32));
        BlockTable[] tables = new BlockTable[positions.length];
        for (int b = 0; b < positions.length; b++) {
            tables[b] = cache.newSequence();
            tables[b].reserve(positions[b] + 1);
            ops.writeKv(cache, 0, tables[b], 0, random(arena, r, positions[b] + 1, kvHeads, d),
                    random(arena, r, positions[b] + 1, kvHeads, d));
        }
        Tensor q = random(arena, r, positions.length, heads, d);
        Tensor out = Tensor.allocate(arena, DType.F32, positions.length, heads, d);
        AttentionParams p = new AttentionParams((float) (1 / Math.sqrt(d)), true, 0, 0f);
        return () -> ops.attentionDecode(q, cache, 0, tables, positions, p, out);
    }

    private static Call prefill(Arena arena, Random r, CpuDevice device, Ops ops, int heads, int kvHeads, int d, int t) {
        PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, kvHeads, d, 32, t / 32 + 1, DType.F32));
        BlockTable table = cache.newSequence();
        table.reserve(t);
        ops.writeKv(cache, 0, table, 0, random(arena, r, t, kvHeads, d), random(arena, r, t, kvHeads, d));
        Tensor q = random(arena, r, t, heads, d);
        Tensor out = Tensor.allocate(arena, DType.F32, t, heads, d);
        AttentionParams p = new AttentionParams((float) (1 / Math.sqrt(d)), true, 0, 0f);
        return () -> ops.attentionPrefill(q, cache, 0, table, 0, p, out);
    }

    private static Tensor random(Arena arena, Random r, int... shape) {
        Tensor t = Tensor.allocate(arena, DType.F32, shape);
        float[] v = new float[(int) t.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        t.copyFrom(v);
        return t;
    }
}
