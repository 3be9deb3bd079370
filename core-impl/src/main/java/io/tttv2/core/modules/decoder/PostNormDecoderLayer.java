package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.Tensor;

/**
 * POST_NORM (OLMo 2; HF's {@code Olmo2DecoderLayer}): differs from pre-norm by normalising the branch
 * outputs instead of their inputs:
 * {@code x += post_attention_layernorm(attn(x)); x += post_feedforward_layernorm(mlp(x))}.
 */
public final class PostNormDecoderLayer extends ResidualDecoderLayer {

    public PostNormDecoderLayer(DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts, Device device) {
        super("post-norm decoder layer", spec, config, parts, device, 2);
        require(parts.postAttentionNorm(), "post_attention_layernorm");
        require(parts.postFeedforwardNorm(), "post_feedforward_layernorm");
    }

    @Override
    protected void forward(PartCalls calls, Tensor x, Tensor out, Tensor[] scratch) {
        Tensor branch = scratch[0];
        Tensor normed = scratch[1];
        calls.attention(parts.attention(), x, branch);
        calls.norm(parts.postAttentionNorm(), branch, normed);
        ops.add(x, normed, out);                                // out = residual + normed attention
        calls.mlp(parts.mlp(), out, branch);
        calls.norm(parts.postFeedforwardNorm(), branch, normed);
        ops.add(out, normed, out);                              // out = residual + normed mlp
    }
}
