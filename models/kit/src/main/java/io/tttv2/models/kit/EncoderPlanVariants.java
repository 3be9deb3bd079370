package io.tttv2.models.kit;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an {@link EncoderPlan} needs of each kind, by the variant names candidates declare (the encoder's
 * counterpart of {@link PlanVariants}, with the same names for the kinds both use).
 */
final class EncoderPlanVariants {

    private EncoderPlanVariants() {
    }

    static Set<ModuleKind> kinds(EncoderPlan plan) {
        Set<ModuleKind> kinds = EnumSet.of(ModuleKind.NORM, ModuleKind.ENCODER_ATTENTION, ModuleKind.MLP,
                ModuleKind.EMBEDDING, ModuleKind.ENCODER_LAYER, ModuleKind.DEVICE);
        if (plan.positions() != null) {
            kinds.add(ModuleKind.POSITION_EMBEDDING);
        }
        if (plan.pooler() != null) {
            kinds.add(ModuleKind.POOLER);
        }
        if (plan.relativeBias() != null) {
            kinds.add(ModuleKind.RELATIVE_POSITION_BIAS);
        }
        if (plan.maskedLmHead() != null) {
            kinds.add(ModuleKind.LM_HEAD);
        }
        return kinds;
    }

    /** The variants of {@code kind} the plan uses, each once, in first-use order. */
    static List<String> of(ModuleKind kind, EncoderPlan plan) {
        Set<String> v = new LinkedHashSet<>();
        switch (kind) {
            case ENCODER_ATTENTION -> plan.layers().forEach(l -> attention(v, l.attention(), plan.relativeBias() != null));
            case RELATIVE_POSITION_BIAS -> v.add("bidirectional");
            case ENCODER_LAYER -> plan.layers().forEach(l -> v.add(l.pattern().name().toLowerCase().replace('_', '-')));
            case MLP -> plan.layers().forEach(l -> mlp(v, l.mlp()));
            case NORM -> norms(plan).forEach(n -> norm(v, n));
            case EMBEDDING -> v.add(plan.embedding().scale() != 1f ? "scaled" : "token");
            case POSITION_EMBEDDING -> v.add("learned");
            case POOLER -> v.add("tanh");
            case LM_HEAD -> {
                if (plan.maskedLmHead() != null && plan.maskedLmHead().tied()) {
                    v.add("tied");      // as the decoders name a projection that reads the embedding's weight
                }
            }
            case ATTENTION, ATTENTION_BACKEND, ROTARY, DECODER_LAYER, CROSS_ATTENTION, BIASED_ATTENTION -> { }
            case DEVICE, MODEL -> { }
        }
        return new ArrayList<>(v);
    }

    private static void attention(Set<String> v, EncoderAttentionSpec spec, boolean bias) {
        AttentionSpec a = spec.attention();
        v.add(spec.causal() ? "causal" : "bidirectional");
        v.add("padding-mask");
        if (bias) {
            v.add("additive-bias");
        }
        v.add(a.kvHeads() == a.heads() ? "mha" : a.kvHeads() == 1 ? "mqa" : "gqa");
        if (a.qkvBias()) {
            v.add("qkv-bias");
        }
        if (a.outputBias()) {
            v.add("output-bias");
        }
        if (a.slidingWindow() > 0) {
            v.add("sliding-window");
        }
        if (a.softcap() > 0) {
            v.add("softcap");
        }
    }

    static void mlp(Set<String> v, MlpSpec m) {
        v.add(switch (m.activation()) {
            case SILU -> m.gated() ? "swiglu" : "silu";
            case GELU, GELU_TANH -> m.gated() ? "geglu" : m.activation() == Activation.GELU ? "gelu" : "gelu-tanh";
            case RELU -> "relu";
        });
        if (m.bias()) {
            v.add("bias");
        }
    }

    static void norm(Set<String> v, NormSpec n) {
        v.add(n.kind() == NormSpec.NormKind.RMS ? "rms" : "layer");
        if (n.weightOffset() != 0f) {
            v.add("offset-weight");
        }
        if (n.bias()) {
            v.add("bias");
        }
    }

    private static Stream<NormSpec> norms(EncoderPlan plan) {
        return Stream.concat(Stream.of(plan.embeddingNorm(), plan.finalNorm(),
                        plan.maskedLmHead() == null ? null : plan.maskedLmHead().norm()),
                plan.layers().stream().flatMap(l -> Stream.of(l.attentionNorm(), l.mlpNorm()))).filter(Objects::nonNull);
    }
}
