package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.tensor.Tensor;

/**
 * The parts' decode entry points. Reused across steps (the step is set per call) so that decoding
 * allocates nothing; a layer decodes one batch at a time, as its shared workspace requires anyway.
 */
final class DecodeCalls implements PartCalls {

    private DecodeStep step;

    void set(DecodeStep step) {
        this.step = step;
    }

    @Override
    public void norm(Norm norm, Tensor x, Tensor out) {
        norm.decode(x, out);
    }

    @Override
    public void attention(Attention attention, Tensor x, Tensor out) {
        attention.decode(x, step, out);
    }

    @Override
    public void mlp(Mlp mlp, Tensor x, Tensor out) {
        mlp.decode(x, out);
    }
}
