package io.tttv2.models.kit;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What an {@link EncoderDecoderPlan} needs of each kind: the encoder's needs and the decoder's, together. */
final class EncoderDecoderPlanVariants {

    private EncoderDecoderPlanVariants() {
    }

    static Set<ModuleKind> kinds(EncoderDecoderPlan plan) {
        Set<ModuleKind> kinds = EnumSet.copyOf(EncoderPlanVariants.kinds(plan.encoder()));
        kinds.addAll(EnumSet.of(ModuleKind.EMBEDDING, ModuleKind.RELATIVE_POSITION_BIAS, ModuleKind.BIASED_ATTENTION,
                ModuleKind.CROSS_ATTENTION, ModuleKind.NORM, ModuleKind.MLP, ModuleKind.LM_HEAD));
        return kinds;
    }

    static List<String> of(ModuleKind kind, EncoderDecoderPlan plan) {
        Set<String> v = new LinkedHashSet<>(EncoderPlanVariants.kinds(plan.encoder()).contains(kind)
                ? EncoderPlanVariants.of(kind, plan.encoder()) : List.of());
        switch (kind) {
            case RELATIVE_POSITION_BIAS -> v.add("unidirectional");
            case BIASED_ATTENTION -> plan.layers().forEach(l -> {
                v.add("causal");
                v.add("additive-bias");
                heads(v, l.selfAttention());
            });
            case CROSS_ATTENTION -> plan.layers().forEach(l -> heads(v, l.crossAttention().attention()));
            case MLP -> plan.layers().forEach(l -> EncoderPlanVariants.mlp(v, l.mlp()));
            case NORM -> {
                plan.layers().forEach(l -> {
                    EncoderPlanVariants.norm(v, l.selfAttentionNorm());
                    EncoderPlanVariants.norm(v, l.crossAttentionNorm());
                    EncoderPlanVariants.norm(v, l.mlpNorm());
                });
                EncoderPlanVariants.norm(v, plan.finalNorm());
            }
            case EMBEDDING -> v.add(plan.embedding().scale() != 1f ? "scaled" : "token");
            case LM_HEAD -> {
                if (plan.tiedHead()) {
                    v.add("tied");
                }
                if (plan.lmHead().softcap() > 0) {
                    v.add("softcap");
                }
            }
            default -> { }      // the encoder's kinds: as above
        }
        return new ArrayList<>(v);
    }

    private static void heads(Set<String> v, AttentionSpec a) {
        v.add(a.kvHeads() == a.heads() ? "mha" : a.kvHeads() == 1 ? "mqa" : "gqa");
        if (a.qkvBias()) {
            v.add("qkv-bias");
        }
        if (a.outputBias()) {
            v.add("output-bias");
        }
        if (a.softcap() > 0) {
            v.add("softcap");
        }
    }
}
