package io.tttv2.models.kit;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
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
        Set<ModuleKind> kinds = EnumSet.of(ModuleKind.NORM, ModuleKind.ATTENTION, ModuleKind.ATTENTION_BACKEND,
                ModuleKind.MLP, ModuleKind.EMBEDDING, ModuleKind.LM_HEAD, ModuleKind.DECODER_LAYER, ModuleKind.DEVICE);
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
            case ATTENTION -> plan.layers().forEach(l -> attention(v, l.attention(), l.rotary() == null));
            case ATTENTION_BACKEND -> plan.layers().forEach(l -> backend(v, l.attention()));
            case ROTARY -> plan.layers().stream().map(LayerPlan::rotary).filter(Objects::nonNull).forEach(r -> rotary(v, r));
            case MLP -> plan.layers().forEach(l -> mlp(v, l.mlp()));
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

    private static void backend(Set<String> v, AttentionSpec a) {
        v.add("causal");
        if (a.slidingWindow() > 0) {
            v.add("sliding-window");
        }
        if (a.softcap() > 0) {
            v.add("softcap");
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
                l.preFeedforwardNorm(), l.postFeedforwardNorm(), l.attention().qkNormSpec())),
                Stream.of(plan.finalNorm())).filter(Objects::nonNull);
    }
}
