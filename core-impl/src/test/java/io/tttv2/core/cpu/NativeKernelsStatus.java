package io.tttv2.core.cpu;

import io.tttv2.api.tensor.DType;
import io.tttv2.core.cpu.kernel.NativeKernels;
import io.tttv2.core.cpu.kernel.QuantizedMatmuls;

/** Prints {@link NativeKernels#STATUS} and the bound Q8_0/Q4_0 kernel types: run in a child JVM by a test. */
final class NativeKernelsStatus {

    private NativeKernelsStatus() {
    }

    public static void main(String[] args) {
        System.out.println(NativeKernels.STATUS);
        System.out.println("Q8_0 kernel: " + QuantizedMatmuls.forThisThread(DType.Q8_0).getClass().getSimpleName());
        System.out.println("Q4_0 kernel: " + QuantizedMatmuls.forThisThread(DType.Q4_0).getClass().getSimpleName());
    }
}
