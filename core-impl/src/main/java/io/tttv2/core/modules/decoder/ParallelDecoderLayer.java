package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.Tensor;

/**
 * PARALLEL (GPT-NeoX with {@code use_parallel_residual}; HF's {@code GPTNeoXLayer}): both branches read
 * the layer input: {@code x = (mlp(post_attention_layernorm(x)) + attn(input_layernorm(x))) + x}, summed
 * in HF's order.
 */
public final class ParallelDecoderLayer extends ResidualDecoderLayer {

    public ParallelDecoderLayer(DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts, Device device) {
        super("parallel decoder layer", spec, config, parts, device, 3);
        require(parts.inputNorm(), "input_layernorm");
        require(parts.postAttentionNorm(), "post_attention_layernorm");
    }

    @Override
    protected void forward(PartCalls calls, Tensor x, Tensor out, Tensor[] scratch) {
        Tensor normed = scratch[0];
        Tensor attention = scratch[1];
        Tensor mlp = scratch[2];
        calls.norm(parts.inputNorm(), x, normed);
        calls.attention(parts.attention(), normed, attention);
        calls.norm(parts.postAttentionNorm(), x, normed);
        calls.mlp(parts.mlp(), normed, mlp);
        ops.add(mlp, attention, mlp);
        ops.add(mlp, x, out);                                   // out = (mlp + attention) + residual
    }
}
