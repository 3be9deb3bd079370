package io.tttv2.models.llama;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.runner.ModelLoadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The assembly a Llama-family checkpoint runs with: the family's shipped {@code assembly.json} (an RMS norm,
 * a gated MLP, the default elsewhere), a caller's override laid over it kind by kind, and what this
 * checkpoint needs of each kind — its variants (GQA, a sliding window, biases, q/k norms, the RoPE type)
 * and its weights' dtype — so that a candidate that cannot run it is never chosen.
 */
final class LlamaAssembly {

    /** Every kind the family builds a model from. */
    static final Set<ModuleKind> KINDS = EnumSet.of(ModuleKind.NORM, ModuleKind.ROTARY, ModuleKind.ATTENTION,
            ModuleKind.MLP, ModuleKind.EMBEDDING, ModuleKind.LM_HEAD, ModuleKind.DECODER_LAYER, ModuleKind.DEVICE);

    private LlamaAssembly() {
    }

    static Assembly of(Assembly shipped, Assembly override, LlamaFamilyConfig c) {
        if (override != null && override.model() != null && !override.model().equals(shipped.model())) {
            throw new ModelLoadException("the assembly given is for model '" + override.model() + "'; " + c.architecture()
                    + " checkpoints are run by " + shipped.model());
        }
        Assembly merged = shipped.overriddenBy(override);
        List<String> dtype = List.of(c.parameterDType().name());
        Map<ModuleKind, Requirement> requirements = new EnumMap<>(ModuleKind.class);
        for (ModuleKind kind : KINDS) {
            requirements.put(kind, merged.requirement(kind).needing(variants(kind, c), dtype));
        }
        return new Assembly(merged.model(), requirements);
    }

    /** The variants of {@code kind} this checkpoint uses, by the names candidates declare. */
    static List<String> variants(ModuleKind kind, LlamaFamilyConfig c) {
        List<String> v = new ArrayList<>();
        switch (kind) {
            case ATTENTION -> {
                v.add(c.numKeyValueHeads() == c.numAttentionHeads() ? "mha" : c.numKeyValueHeads() == 1 ? "mqa" : "gqa");
                if (Arrays.stream(c.slidingWindows()).anyMatch(w -> w > 0)) {
                    v.add("sliding-window");
                }
                if (c.qkvBias()) {
                    v.add("qkv-bias");
                }
                if (c.outputBias()) {
                    v.add("output-bias");
                }
                if (c.qkNorm()) {
                    v.add("qk-norm-per-head");
                }
            }
            case ROTARY -> {
                v.add(c.rope().type());
                v.add("half");
                if (c.partialRotaryFactor() < 1) {
                    v.add("partial");
                }
            }
            case MLP -> {
                switch (Activation.of(c.hiddenAct())) {
                    case SILU -> v.add("swiglu");
                    case GELU, GELU_TANH -> v.add("geglu");
                    case RELU -> { }
                }
                if (c.mlpBias()) {
                    v.add("bias");
                }
            }
            case NORM -> v.add("rms");
            case LM_HEAD -> {
                if (c.tieWordEmbeddings()) {
                    v.add("tied");
                }
            }
            case DECODER_LAYER -> v.add("pre-norm");
            default -> { }
        }
        return v;
    }
}
