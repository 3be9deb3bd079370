package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The assembly a checkpoint runs with: the model bundle's shipped {@code assembly.json}, a caller's override
 * laid over it kind by kind, and what this checkpoint's plan needs of each kind it uses — variants and the
 * weights' dtype — so that a candidate that cannot run it is never chosen.
 */
final class ModelAssembly {

    private ModelAssembly() {
    }

    static Assembly of(Assembly shipped, Assembly override, DecoderPlan plan) {
        return of(shipped, override, plan.architecture(), plan.parameterDType(), PlanVariants.kinds(plan),
                kind -> PlanVariants.of(kind, plan));
    }

    /** The same for any plan: the kinds it uses and, per kind, the variants it needs. */
    static Assembly of(Assembly shipped, Assembly override, String architecture, DType parameterDType,
                       Set<ModuleKind> kinds, Function<ModuleKind, List<String>> variants) {
        if (override != null && override.model() != null && !override.model().equals(shipped.model())) {
            throw new ModelLoadException("the assembly given is for model '" + override.model() + "'; "
                    + architecture + " checkpoints are run by " + shipped.model());
        }
        Assembly merged = shipped.overriddenBy(override);
        List<String> dtype = List.of(parameterDType.name());
        Map<ModuleKind, Requirement> requirements = new EnumMap<>(ModuleKind.class);
        for (ModuleKind kind : kinds) {
            requirements.put(kind, merged.requirement(kind).needing(variants.apply(kind), dtype));
        }
        return new Assembly(merged.model(), requirements, merged.moduleConfig());
    }
}
