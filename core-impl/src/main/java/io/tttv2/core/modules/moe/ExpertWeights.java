package io.tttv2.core.modules.moe;

import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;

/**
 * One routed expert's projections, read in place from the checkpoint in their stored dtype (mapping a tensor
 * reads no data: a decode step touches only the pages of the experts it picks).
 *
 * @param gate     [I, H], or null for a plain expert
 * @param up       [I, H]
 * @param down     [H, I]
 * @param gateBias [I] F32 or null
 * @param upBias   [I] F32 or null
 * @param downBias [H] F32 or null
 */
record ExpertWeights(Tensor gate, Tensor up, Tensor down, Tensor gateBias, Tensor upBias, Tensor downBias) {

    /** Expert {@code index} under {@code experts.N.}: {@code gate_proj, up_proj, down_proj}. */
    static ExpertWeights read(MlpSpec spec, Weights moe, int index, Ops ops) {
        Weights w = moe.scoped("experts." + index);
        String module = "expert " + index;
        int h = spec.hidden();
        int i = spec.intermediate();
        boolean bias = spec.bias();
        return new ExpertWeights(
                spec.gated() ? ModuleWeights.matrix(w, "gate_proj.weight", module, i, h) : null,
                ModuleWeights.matrix(w, "up_proj.weight", module, i, h),
                ModuleWeights.matrix(w, "down_proj.weight", module, h, i),
                ModuleWeights.optionalVectorF32(spec.gated() && bias, w, "gate_proj.bias", module, i, ops),
                ModuleWeights.optionalVectorF32(bias, w, "up_proj.bias", module, i, ops),
                ModuleWeights.optionalVectorF32(bias, w, "down_proj.bias", module, h, ops));
    }
}
