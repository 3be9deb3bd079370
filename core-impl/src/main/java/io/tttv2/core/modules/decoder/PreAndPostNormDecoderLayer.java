package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.Tensor;

/**
 * PRE_AND_POST_NORM (Gemma 2, Gemma 3; HF's {@code Gemma2DecoderLayer}): differs from pre-norm by a norm
 * on each branch's output too:
 * {@code x += post_attention_layernorm(attn(input_layernorm(x)));
 *        x += post_feedforward_layernorm(mlp(pre_feedforward_layernorm(x)))}.
 */
public final class PreAndPostNormDecoderLayer extends ResidualDecoderLayer {

    public PreAndPostNormDecoderLayer(DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts,
                                      Device device) {
        super("pre-and-post-norm decoder layer", spec, config, parts, device, 2);
        require(parts.inputNorm(), "input_layernorm");
        require(parts.postAttentionNorm(), "post_attention_layernorm");
        require(parts.preFeedforwardNorm(), "pre_feedforward_layernorm");
        require(parts.postFeedforwardNorm(), "post_feedforward_layernorm");
    }

    @Override
    protected void forward(PartCalls calls, Tensor x, Tensor out, Tensor[] scratch) {
        Tensor a = scratch[0];
        Tensor b = scratch[1];
        calls.norm(parts.inputNorm(), x, a);
        calls.attention(parts.attention(), a, b);
        calls.norm(parts.postAttentionNorm(), b, a);
        ops.add(x, a, out);                                     // out = residual + normed attention
        calls.norm(parts.preFeedforwardNorm(), out, a);
        calls.mlp(parts.mlp(), a, b);
        calls.norm(parts.postFeedforwardNorm(), b, a);
        ops.add(out, a, out);                                   // out = residual + normed mlp
    }
}
