package io.tttv2.core.cpu.kernel;

import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.TestTensors;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Random;

/**
 * The row ops of one Llama-3.2-1B layer (two rmsNorms [M, 2048] with BF16 weights, two residual ADDs [M, 2048],
 * the SiLU gate [M, 8192], rotary on q [M, 32, 64] and k [M, 8, 64]) on the Java kernels (warmed into C2 first)
 * and on the native route, alternating round by round on one thread, so a loaded machine slows both alike;
 * prints the median layer time of each and the median of the per-round ratios. A command, not a test:
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp core-impl/target/test-classes:
 * core-impl/target/classes:core-api/target/classes io.tttv2.core.cpu.kernel.NativeOpsAlternation [rounds] [M]
 * [all|norm|rotary|add|gate]} (one family alone: its calls of a layer).
 */
public final class NativeOpsAlternation {

    private NativeOpsAlternation() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        System.out.println(NativeKernels.STATUS + "; native ops usable: " + NativeOps.USABLE);
        Arena arena = Arena.ofShared();
        Random r = new Random(1);
        Tensor x = random(arena, r, DType.F32, m, 2048);
        Tensor h = random(arena, r, DType.F32, m, 2048);
        Tensor norm = Tensor.allocate(arena, DType.F32, m, 2048);
        Tensor w = random(arena, r, DType.BF16, 2048);
        Tensor gate = random(arena, r, DType.F32, m, 8192);
        Tensor up = random(arena, r, DType.F32, m, 8192);
        Tensor act = Tensor.allocate(arena, DType.F32, m, 8192);
        Tensor q = random(arena, r, DType.F32, m, 32, 64);
        Tensor k = random(arena, r, DType.F32, m, 8, 64);
        Tensor qOut = Tensor.allocate(arena, DType.F32, m, 32, 64);
        Tensor kOut = Tensor.allocate(arena, DType.F32, m, 8, 64);
        Tensor cos = random(arena, r, DType.F32, 4096, 32);
        Tensor sin = random(arena, r, DType.F32, 4096, 32);
        int[] positions = new int[m];
        for (int i = 0; i < m; i++) {
            positions[i] = 100 + i;
        }
        String only = args.length > 2 ? args[2] : "all";
        boolean all = only.equals("all");
        Runnable layer = () -> {
            for (int rep = 0; rep < 20; rep++) {
                if (all || only.equals("norm")) {
                    NormKernels.rmsNorm(x, w, 1e-5f, 0f, norm, 0, m);
                    NormKernels.rmsNorm(x, w, 1e-5f, 0f, norm, 0, m);
                }
                if (all || only.equals("rotary")) {
                    RotaryKernel.apply(q, cos, sin, positions, RotaryStyle.HALF, qOut, 0, m);
                    RotaryKernel.apply(k, cos, sin, positions, RotaryStyle.HALF, kOut, 0, m);
                }
                if (all || only.equals("add")) {
                    ElementwiseKernels.binary(ElementwiseKernels.BinaryOp.ADD, x, h, x, 0, m);
                    ElementwiseKernels.binary(ElementwiseKernels.BinaryOp.ADD, x, h, x, 0, m);
                }
                if (all || only.equals("gate")) {
                    ElementwiseKernels.gated(UnaryOp.SILU, gate, up, act, 0, m);
                }
            }
        };
        boolean old = NativeOps.on;
        for (int warm = 0; warm < 300; warm++) {
            NativeOps.on = false;
            layer.run();
            NativeOps.on = old;
            layer.run();
        }
        double[] tJava = new double[rounds];
        double[] tNative = new double[rounds];
        double[] ratio = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                tJava[round] = time(false, layer);
                tNative[round] = time(true, layer);
            } else {
                tNative[round] = time(true, layer);
                tJava[round] = time(false, layer);
            }
            ratio[round] = tJava[round] / tNative[round];
        }
        NativeOps.on = old;
        System.out.printf("M=%d, one layer's row ops (%s): Java (C2) %.1f us, native %.1f us, Java/native %.2f (medians of %d)%n",
                m, only, median(tJava), median(tNative), median(ratio), rounds);
    }

    /** Microseconds per layer (of 20 in a row, 50 times). */
    private static double time(boolean nativeRoute, Runnable layer) {
        NativeOps.on = nativeRoute;
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            layer.run();
        }
        return (System.nanoTime() - t0) / 1e3 / (50 * 20);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static Tensor random(Arena arena, Random r, DType dtype, int... shape) {
        Tensor t = Tensor.allocate(arena, dtype, shape);
        float[] v = new float[(int) t.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        TestTensors.set(t, v);
        return t;
    }
}
