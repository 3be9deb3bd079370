package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.NativeKernelsTesting.requireNativeKernels;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the tests of the BF16 precision share: the host check, and the calling thread's precision switch. */
public final class Bf16DotTesting {

    private Bf16DotTesting() {
    }

    /**
     * Skips the calling test only where the CPU cannot run the kernel (not Linux x86-64, no AVX-512 VNNI, or no
     * AVX512_BF16 in /proc/cpuinfo); on a machine that can, a library that did not bind fails the test.
     */
    public static void requireBf16Dot() {
        requireNativeKernels();
        String limit = NativeKernels.BF16_DOT_LIMIT;
        assumeTrue(limit == null || !limit.startsWith("the CPU lacks"), limit);
        assertNull(limit, "BF16 precision on a CPU with AVX512_BF16");
    }

    /** Sets the calling thread's precision of BF16 matmuls (null: the property's); returns the old setting. */
    public static MatmulPrecision set(MatmulPrecision precision) {
        return MatmulKernel.precisionOnThisThread(precision);
    }
}
