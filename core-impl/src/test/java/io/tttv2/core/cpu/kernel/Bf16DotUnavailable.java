package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;

/** Runs one BF16 matmul under the JVM's properties and prints what happened: run in a child JVM by a test. */
final class Bf16DotUnavailable {

    private Bf16DotUnavailable() {
    }

    public static void main(String[] args) {
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 32);
        Tensor w = Tensor.allocate(Arena.ofAuto(), DType.BF16, 4, 32);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 4);
        CpuDevice device = new CpuDevice(1);
        try {
            device.ops().matmul(x, w, null, out);
            System.out.println("ran");
        } catch (MatmulPrecision.Unavailable e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            device.close();
        }
    }
}
