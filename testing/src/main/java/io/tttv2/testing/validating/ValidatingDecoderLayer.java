package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.SelfAttentionReference;
import io.tttv2.testing.reference.DecoderLayerReference;
import io.tttv2.testing.reference.FeedForwardReference;
import io.tttv2.testing.reference.NormReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DecoderLayer} checked against a {@link DecoderLayerReference} wired from its parts' references:
 * the parts must themselves have been created with validation on (they are, when every factory is
 * decorated), else the reference is missing and every call records that. {@code out} may be {@code x}.
 */
final class ValidatingDecoderLayer extends ValidatingModule implements DecoderLayer {

    private final DecoderLayer implementation;
    private final LazyReference<DecoderLayerReference> reference;

    ValidatingDecoderLayer(DecoderLayer implementation, DecoderLayerSpec spec, DecoderLayerParts parts,
                           ValidationRegistry registry) {
        super(ModuleKind.DECODER_LAYER, implementation, dtypeOf(parts), partsOf(parts), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new DecoderLayerReference(spec, new DecoderLayerReference.Parts(
                norm(parts.inputNorm()), attention(parts.attention()), norm(parts.postAttentionNorm()),
                norm(parts.preFeedforwardNorm()), norm(parts.postFeedforwardNorm()), mlp(parts.mlp()))));
    }

    @Override
    public void prefill(Tensor x, PrefillStep step, Tensor out) {
        if (!validator.active()) {
            implementation.prefill(x, step, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [T, hidden]
        int tokens = x.dim(0);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, tokens, x.shape(),
                () -> implementation.prefill(x, step, out), out::toFloatArray,
                () -> reference.get().prefill(input, tokens, step));
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor out) {
        if (!validator.active()) {
            implementation.decode(x, step, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [B, hidden]
        DecodeStep frozen = ValidatingAttention.frozen(step);
        validator.validate(capturedAt, ShapeBuckets.DECODE, x.dim(0), x.shape(),
                () -> implementation.decode(x, step, out), out::toFloatArray,
                () -> reference.get().decode(input, frozen));
    }

    @Override
    public void step(Tensor x, MixedStep step, Tensor out) {
        if (!validator.active()) {
            implementation.step(x, step, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [rows, hidden]
        MixedStep frozen = ValidatingAttention.frozen(step);
        validator.validate(capturedAt, ShapeBuckets.STEP, x.dim(0), x.shape(),
                () -> implementation.step(x, step, out), out::toFloatArray,
                () -> reference.get().step(input, frozen));
    }

    private static List<Module> partsOf(DecoderLayerParts p) {
        List<Module> parts = new ArrayList<>();
        for (Module m : new Module[] {p.inputNorm(), p.attention(), p.postAttentionNorm(), p.preFeedforwardNorm(),
                p.postFeedforwardNorm(), p.mlp()}) {
            if (m != null) {
                parts.add(m);
            }
        }
        return parts;
    }

    /** A layer's weights are its attention's. */
    private static DType dtypeOf(DecoderLayerParts p) {
        return p.attention() instanceof ValidatingModule a ? a.dtype() : DType.F32;
    }

    private static NormReference norm(Norm norm) {
        if (norm == null) {
            return null;
        }
        if (norm instanceof ValidatingNorm v) {
            return v.reference();
        }
        throw missing("norm", norm);
    }

    private static SelfAttentionReference attention(Attention attention) {
        if (attention instanceof ValidatingAttention v) {
            return v.reference();
        }
        throw missing("attention", attention);
    }

    private static FeedForwardReference mlp(Mlp mlp) {
        if (mlp instanceof ValidatingMlp v) {
            return v.reference();
        }
        if (mlp instanceof ValidatingMoe v) {
            return v.reference();
        }
        throw missing("mlp", mlp);
    }

    private static IllegalArgumentException missing(String part, Module module) {
        return new IllegalArgumentException("decoder-layer reference: its " + part + " (" + (module == null ? "none"
                : module.candidate()) + ") was not created with validation on, so it has no reference");
    }
}
