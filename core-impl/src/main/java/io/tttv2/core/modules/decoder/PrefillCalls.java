package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.tensor.Tensor;

/** The parts' prefill entry points for one chunk of one sequence, at the chunk's {@link PrefillStep}. */
final class PrefillCalls implements PartCalls {

    private final PrefillStep step;

    PrefillCalls(PrefillStep step) {
        this.step = step;
    }

    @Override
    public void norm(Norm norm, Tensor x, Tensor out) {
        norm.prefill(x, out);
    }

    @Override
    public void attention(Attention attention, Tensor x, Tensor out) {
        attention.prefill(x, step, out);
    }

    @Override
    public void mlp(Mlp mlp, Tensor x, Tensor out) {
        mlp.prefill(x, out);
    }
}
