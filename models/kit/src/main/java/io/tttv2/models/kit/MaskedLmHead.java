package io.tttv2.models.kit;

import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;

/**
 * The forward of a {@link MaskedLmHeadPlan}: the dense and the activation by the device's ops, the norm and the
 * vocabulary projection by the resolved {@code norm} and {@code lm-head} kinds, then the per-token bias.
 */
final class MaskedLmHead {

    private final MaskedLmHeadPlan plan;
    private final Tensor denseWeight;   // [hidden, hidden]
    private final Tensor denseBias;     // [hidden] F32
    private final Norm norm;
    private final LmHead decoder;
    private final Tensor bias;          // [vocab] F32
    private final Device device;

    MaskedLmHead(MaskedLmHeadPlan plan, Tensor denseWeight, Tensor denseBias, Norm norm, LmHead decoder, Tensor bias,
                 Device device) {
        this.plan = plan;
        this.denseWeight = denseWeight;
        this.denseBias = f32(denseBias);
        this.norm = norm;
        this.decoder = decoder;
        this.bias = f32(bias);
        this.device = device;
    }

    /** Ops take biases in F32; a BF16 checkpoint's are widened once. */
    private static Tensor f32(Tensor t) {
        return t.dtype() == DType.F32 ? t : Tensor.of(t.toFloatArray(), t.shape());
    }

    Norm norm() {
        return norm;
    }

    LmHead decoder() {
        return decoder;
    }

    /** x [B, T, hidden] → logits [B, T, vocab]. */
    Tensor forward(Tensor x) {
        int[] shape = x.shape();
        int b = shape[0], t = shape[1], h = plan.hidden(), v = plan.decoder().vocab();
        Tensor rows = x.reshape(b * t, h);                                                  // [B·T, hidden]
        Tensor transformed = Tensor.allocate(Arena.ofAuto(), DType.F32, b * t, h);          // [B·T, hidden]
        device.ops().matmul(rows, denseWeight, denseBias, transformed);
        device.ops().activation(plan.activation(), transformed, transformed);
        norm.prefill(transformed, transformed);
        Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, b, t, v);               // [B, T, vocab]
        Tensor logitRows = logits.reshape(b * t, v);
        decoder.prefill(transformed, logitRows);
        for (int r = 0; r < b * t; r++) {
            Tensor row = logitRows.select(0, r);                                            // [vocab]
            device.ops().add(row, bias, row);
        }
        return logits;
    }
}
