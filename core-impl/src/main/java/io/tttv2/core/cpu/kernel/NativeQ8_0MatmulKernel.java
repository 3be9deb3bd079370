package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;

/**
 * The Q8_0 matmul through the native int8 kernel ({@link NativeInt8Matmul}) where {@link NativeKernels} is
 * available ({@link QuantizedMatmuls} picks this type once per thread then); a call on heap memory runs the
 * Java kernel it extends.
 */
public final class NativeQ8_0MatmulKernel extends Q8_0MatmulKernel {

    private final NativeInt8Matmul route = new NativeInt8Matmul(DType.Q8_0);
    private boolean nativeCall;
    /** False: this instance runs the Java kernel (tests of the Java kernels on a machine with native ones). */
    boolean nativeRoute = true;

    @Override
    public void bind(Tensor x, Tensor w, Tensor bias, Tensor out) {
        super.bind(x, w, bias, out);
        nativeCall = nativeRoute && route.bind(x, w, bias, out);
    }

    @Override
    public void run(int nFrom, int nTo) {
        if (nativeCall) {
            route.run(nFrom, nTo);
        } else {
            super.run(nFrom, nTo);
        }
    }

    @Override
    public void unbind() {
        route.unbind();
        super.unbind();
    }
}
