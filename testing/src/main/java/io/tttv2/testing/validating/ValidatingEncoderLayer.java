package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.EncoderLayerParts;
import io.tttv2.api.modules.EncoderLayerSpec;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.EncoderLayerReference;
import io.tttv2.testing.reference.MlpReference;
import io.tttv2.testing.reference.NormReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/**
 * An {@link EncoderLayer} checked against an {@link EncoderLayerReference} wired from its parts' references
 * (the parts must have been created with validation on, as for {@link ValidatingDecoderLayer}).
 */
final class ValidatingEncoderLayer extends ValidatingModule implements EncoderLayer {

    private final EncoderLayer implementation;
    private final LazyReference<EncoderLayerReference> reference;

    ValidatingEncoderLayer(EncoderLayer implementation, EncoderLayerSpec spec, EncoderLayerParts parts,
                           ValidationRegistry registry) {
        super(ModuleKind.ENCODER_LAYER, implementation, dtypeOf(parts),
                List.of(parts.attentionNorm(), parts.attention(), parts.mlpNorm(), parts.mlp()), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new EncoderLayerReference(spec, new EncoderLayerReference.Parts(
                attention(parts), norm(parts.attentionNorm()), mlp(parts), norm(parts.mlpNorm()))));
    }

    @Override
    public void forward(Tensor x, PaddingMask mask, Tensor bias) {
        if (!validator.active()) {
            implementation.forward(x, mask, bias);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                                  // [B, T, hidden]
        double[] biasValues = bias == null ? null : Values.of(bias);    // [heads, T, T]
        boolean[] keep = mask.keep().clone();
        int batch = x.dim(0);
        int tokens = x.dim(1);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, batch * tokens, x.shape(),
                () -> implementation.forward(x, mask, bias), x::toFloatArray,
                () -> reference.get().forward(input, batch, tokens, keep, biasValues));
    }

    private static DType dtypeOf(EncoderLayerParts p) {
        return p.attention() instanceof ValidatingEncoderAttention a ? a.dtype() : DType.F32;
    }

    private static io.tttv2.testing.reference.EncoderAttentionReference attention(EncoderLayerParts p) {
        if (p.attention() instanceof ValidatingEncoderAttention v) {
            return v.reference();
        }
        throw missing("attention", p.attention());
    }

    private static NormReference norm(io.tttv2.api.modules.Norm norm) {
        if (norm instanceof ValidatingNorm v) {
            return v.reference();
        }
        throw missing("norm", norm);
    }

    private static MlpReference mlp(EncoderLayerParts p) {
        if (p.mlp() instanceof ValidatingMlp v) {
            return v.reference();
        }
        throw missing("mlp", p.mlp());
    }

    private static IllegalArgumentException missing(String part, Module module) {
        return new IllegalArgumentException("encoder-layer reference: its " + part + " (" + (module == null ? "none"
                : module.candidate()) + ") was not created with validation on, so it has no reference");
    }
}
