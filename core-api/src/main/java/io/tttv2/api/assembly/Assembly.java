package io.tttv2.api.assembly;

import io.tttv2.api.candidate.ModuleKind;
import java.util.Map;

/**
 * A model's declarative choice of implementations: a requirement per module kind. Kinds it does not name
 * get the default — the highest tier, then the highest version. Read from JSON (a model bundle's
 * {@code assembly.json}, or {@code --assembly FILE}).
 *
 * @param model        who asks, for messages (e.g. {@code tttv2/model/llama-family})
 * @param requirements module kind → requirement
 */
public record Assembly(String model, Map<ModuleKind, Requirement> requirements) {

    public Assembly {
        requirements = Map.copyOf(requirements);
    }

    /** The requirement for {@code kind}, or {@link Requirement#any()}. */
    public Requirement requirement(ModuleKind kind) {
        return requirements.getOrDefault(kind, Requirement.any());
    }
}
