package io.tttv2.models.kit;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.RouterSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a plan needs of each kind, by the variant names candidates declare in their manifests — derived from
 * the specs the kit will build, so what a model asks for cannot drift from what it runs.
 */
final class PlanVariants {

    private PlanVariants() {
    }

    /** The kinds a plan's modules come from (no rotary without rotary layers, positions only when learned). */
    static Set<ModuleKind> kinds(DecoderPlan plan) {
        Set<ModuleKind> kinds = EnumSet.of(ModuleKind.NORM, ModuleKind.ATTENTION_BACKEND,
                ModuleKind.EMBEDDING, ModuleKind.LM_HEAD, ModuleKind.DECODER_LAYER, ModuleKind.DEVICE);
        if (plan.layers().stream().anyMatch(l -> l.attention() != null)) {
            kinds.add(ModuleKind.ATTENTION);
        }
        if (plan.layers().stream().anyMatch(l -> l.latentAttention() != null)) {
            kinds.add(ModuleKind.LATENT_ATTENTION);
        }
        if (mlps(plan).findAny().isPresent()) {
            kinds.add(ModuleKind.MLP);
        }
        if (plan.layers().stream().anyMatch(l -> l.moe() != null)) {
            kinds.add(ModuleKind.ROUTER);
            kinds.add(ModuleKind.MOE);
        }
        if (plan.layers().stream().anyMatch(l -> l.rotary() != null)) {
            kinds.add(ModuleKind.ROTARY);
        }
        if (plan.positions() != null) {
            kinds.add(ModuleKind.POSITION_EMBEDDING);
        }
        return kinds;
    }

    /** The variants of {@code kind} the plan uses, each once, in first-use order. */
    static List<String> of(ModuleKind kind, DecoderPlan plan) {
        Set<String> v = new LinkedHashSet<>();
        switch (kind) {
            case ATTENTION -> plan.layers().stream().filter(l -> l.attention() != null)
                    .forEach(l -> attention(v, l.attention(), l.rotary() == null));
            case LATENT_ATTENTION -> plan.layers().stream().map(LayerPlan::latentAttention).filter(Objects::nonNull)
                    .forEach(a -> latentAttention(v, a));
            case ATTENTION_BACKEND -> plan.layers().forEach(l -> backend(v, l.backend()));
            case ROTARY -> plan.layers().stream().map(LayerPlan::rotary).filter(Objects::nonNull).forEach(r -> rotary(v, r));
            case MLP -> mlps(plan).forEach(m -> mlp(v, m));
            case ROUTER -> moes(plan).forEach(m -> router(v, m.router()));
            case MOE -> moes(plan).forEach(m -> moe(v, m));
            case NORM -> norms(plan).forEach(n -> norm(v, n));
            case EMBEDDING -> v.add(plan.embedding().scale() != 1f ? "scaled" : "token");
            case POSITION_EMBEDDING -> v.add("learned");
            case LM_HEAD -> {
                if (plan.tiedHead()) {
                    v.add("tied");
                }
                if (plan.lmHead().softcap() > 0) {
                    v.add("softcap");
                }
            }
            case DECODER_LAYER -> plan.layers().forEach(l -> v.add(l.pattern().name().toLowerCase().replace('_', '-')));
            case ENCODER_ATTENTION, ENCODER_LAYER, POOLER, RELATIVE_POSITION_BIAS, CROSS_ATTENTION,
                    BIASED_ATTENTION -> { }     // not in a decoder plan
            case DEVICE, MODEL -> { }
        }
        return new ArrayList<>(v);
    }

    private static void attention(Set<String> v, AttentionSpec a, boolean noRotary) {
        v.add(a.kvHeads() == a.heads() ? "mha" : a.kvHeads() == 1 ? "mqa" : "gqa");
        if (a.slidingWindow() > 0) {
            v.add("sliding-window");
        }
        if (a.qkvBias()) {
            v.add("qkv-bias");
        }
        if (a.outputBias()) {
            v.add("output-bias");
        }
        switch (a.qkNorm()) {
            case NONE -> { }
            case PER_HEAD -> v.add("qk-norm-per-head");
            case FULL -> v.add("qk-norm-full");
        }
        if (a.softcap() > 0) {
            v.add("softcap");
        }
        if (noRotary) {
            v.add("no-rotary");
        }
    }

    private static void latentAttention(Set<String> v, LatentAttentionSpec a) {
        v.add(a.qLoraRank() > 0 ? "q-lora" : "q-proj");
        if (a.bias()) {
            v.add("bias");
        }
    }

    private static void backend(Set<String> v, AttentionBackendSpec b) {
        if (b.params().causal()) {
            v.add("causal");
        }
        if (b.params().slidingWindow() > 0) {
            v.add("sliding-window");
        }
        if (b.params().softcap() > 0) {
            v.add("softcap");
        }
        if (b.splitWidths()) {
            v.add("latent-values");     // one entry per token, values read from its latent (MLA absorbed)
        }
    }

    private static void rotary(Set<String> v, RotarySpec r) {
        v.add(r.scaling().type());
        v.add(r.style().name().toLowerCase());
        if (r.rotaryDim() < r.headDim()) {
            v.add("partial");
        }
    }

    private static void mlp(Set<String> v, MlpSpec m) {
        String act = switch (m.activation()) {
            case SILU -> m.gated() ? "swiglu" : "silu";
            case GELU, GELU_TANH -> m.gated() ? "geglu" : m.activation() == io.tttv2.api.ops.Activation.GELU ? "gelu" : "gelu-tanh";
            case RELU -> "relu";
        };
        v.add(act);
        if (m.bias()) {
            v.add("bias");
        }
    }

    private static void router(Set<String> v, RouterSpec r) {
        v.add(r.scoring() == RouterSpec.Scoring.SIGMOID ? "sigmoid" : "softmax");
        if (r.normalize()) {
            v.add("normalized");
        }
        if (r.topKGroups() < r.groups()) {
            v.add("grouped");
        }
        if (r.correctionBias()) {
            v.add("correction-bias");
        }
        if (r.scalingFactor() != 1f) {
            v.add("scaled");
        }
    }

    private static void moe(Set<String> v, MoeSpec m) {
        MlpSpec e = m.expert();
        v.add(!e.gated() ? "plain" : e.activation() == io.tttv2.api.ops.Activation.SILU ? "swiglu" : "geglu");
        if (e.bias()) {
            v.add("bias");
        }
        if (m.shared() != null) {
            v.add("shared-expert");
        }
        if (m.sharedGate()) {
            v.add("shared-expert-gate");
        }
    }

    /** The dense MLPs the plan builds: the layers' and the shared experts of its mixtures of experts. */
    private static Stream<MlpSpec> mlps(DecoderPlan plan) {
        return plan.layers().stream().map(l -> l.moe() == null ? l.mlp() : l.moe().shared()).filter(Objects::nonNull);
    }

    private static Stream<MoeSpec> moes(DecoderPlan plan) {
        return plan.layers().stream().map(LayerPlan::moe).filter(Objects::nonNull);
    }

    private static void norm(Set<String> v, NormSpec n) {
        v.add(n.kind() == NormSpec.NormKind.RMS ? "rms" : "layer");
        if (n.weightOffset() != 0f) {
            v.add("offset-weight");
        }
        if (n.bias()) {
            v.add("bias");
        }
    }

    /** Every norm the plan builds, q/k norms included. */
    private static Stream<NormSpec> norms(DecoderPlan plan) {
        return Stream.concat(plan.layers().stream().flatMap(l -> Stream.of(l.inputNorm(), l.postAttentionNorm(),
                l.preFeedforwardNorm(), l.postFeedforwardNorm(),
                l.attention() != null ? l.attention().qkNormSpec() : l.latentAttention().qANorm(),
                l.latentAttention() != null ? l.latentAttention().kvANorm() : null)),
                Stream.of(plan.finalNorm())).filter(Objects::nonNull);
    }
}
