package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.NativeKernels;
import java.util.Random;

/** What the tests of the native kernels (int8, BF16 rows, BF16 GEMM) share. */
public final class NativeKernelsTesting {

    private NativeKernelsTesting() {
    }

    /**
     * Skips the calling test only where the CPU cannot execute the library at all ({@link NativeKernels#HOST_LIMIT}:
     * not Linux x86-64, or no AVX-512 VNNI), where the Java kernels run instead and have tests of their own; on a
     * machine that can run it, a library that did not load (not built, an unwritable cache folder, a broken
     * library) fails the test.
     */
    public static void requireNativeKernels() {
        assumeTrue(NativeKernels.HOST_LIMIT == null, NativeKernels.HOST_LIMIT);
        assertTrue(NativeKernels.AVAILABLE, NativeKernels.STATUS + " on a machine that can run them");
    }

    /**
     * Multiplies one chunk of 32 values of each row of x [M, K] by 40 or 1e-3, or zeroes it, so terms (and a block
     * format's per-block scales) differ in size.
     */
    public static void scaleOneChunkPerRow(Tensor x, Random r) {
        for (int i = 0; i < x.dim(0); i++) {
            int chunk = r.nextInt(x.dim(1) / 32);
            float f = switch (r.nextInt(3)) {
                case 0 -> 0f;
                case 1 -> 40f;
                default -> 1e-3f;
            };
            for (int j = 0; j < 32; j++) {
                x.setFloat(x.getFloat(i, chunk * 32 + j) * f, i, chunk * 32 + j);
            }
        }
    }
}
