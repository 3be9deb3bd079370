package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.tensor.Tensor;

/**
 * The parts' entry points for the rows of a mixed step: norms and the MLP are row-wise, so their prefill entry
 * points take the rows of every sequence at once; attention takes the step, which says each row's sequence.
 */
final class StepCalls implements PartCalls {

    private final MixedStep step;

    StepCalls(MixedStep step) {
        this.step = step;
    }

    @Override
    public void norm(Norm norm, Tensor x, Tensor out) {
        norm.prefill(x, out);
    }

    @Override
    public void attention(Attention attention, Tensor x, Tensor out) {
        attention.step(x, step, out);
    }

    @Override
    public void mlp(Mlp mlp, Tensor x, Tensor out) {
        mlp.prefill(x, out);
    }
}
