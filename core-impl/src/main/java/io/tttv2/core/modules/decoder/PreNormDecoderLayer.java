package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.Tensor;

/**
 * PRE_NORM (Llama, Mistral, Qwen; HF's {@code LlamaDecoderLayer}):
 * {@code x += attn(input_layernorm(x)); x += mlp(post_attention_layernorm(x))}.
 */
public final class PreNormDecoderLayer extends ResidualDecoderLayer {

    public PreNormDecoderLayer(DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts, Device device) {
        super("pre-norm decoder layer", spec, config, parts, device, 2);
        require(parts.inputNorm(), "input_layernorm");
        require(parts.postAttentionNorm(), "post_attention_layernorm");
    }

    @Override
    protected void forward(PartCalls calls, Tensor x, Tensor out, Tensor[] scratch) {
        Tensor normed = scratch[0];
        Tensor branch = scratch[1];
        calls.norm(parts.inputNorm(), x, normed);
        calls.attention(parts.attention(), normed, branch);
        ops.add(x, branch, out);                                // out = residual + attention
        calls.norm(parts.postAttentionNorm(), out, normed);
        calls.mlp(parts.mlp(), normed, branch);
        ops.add(out, branch, out);                              // out = residual + mlp
    }
}
