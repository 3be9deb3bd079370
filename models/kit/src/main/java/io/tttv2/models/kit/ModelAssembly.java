package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.runner.ModelLoadException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The assembly a checkpoint runs with: the model bundle's shipped {@code assembly.json}, a caller's override
 * laid over it kind by kind, and what this checkpoint's plan needs of each kind it uses — variants and the
 * weights' dtype — so that a candidate that cannot run it is never chosen.
 */
final class ModelAssembly {

    private ModelAssembly() {
    }

    static Assembly of(Assembly shipped, Assembly override, DecoderPlan plan) {
        if (override != null && override.model() != null && !override.model().equals(shipped.model())) {
            throw new ModelLoadException("the assembly given is for model '" + override.model() + "'; "
                    + plan.architecture() + " checkpoints are run by " + shipped.model());
        }
        Assembly merged = shipped.overriddenBy(override);
        List<String> dtype = List.of(plan.parameterDType().name());
        Map<ModuleKind, Requirement> requirements = new EnumMap<>(ModuleKind.class);
        for (ModuleKind kind : PlanVariants.kinds(plan)) {
            requirements.put(kind, merged.requirement(kind).needing(PlanVariants.of(kind, plan), dtype));
        }
        return new Assembly(merged.model(), requirements);
    }
}
