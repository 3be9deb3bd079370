package io.tttv2.api.assembly;

import io.tttv2.api.candidate.ModuleKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * A model's declarative choice of implementations: a requirement per module kind. Kinds it does not name
 * get the default — the highest tier, then the highest version. Read from JSON (a model bundle's
 * {@code assembly.json}, or {@code --assembly FILE}) by {@link Assemblies}.
 *
 * @param model        who asks, for messages (e.g. {@code tttv2/model/llama-family}); null when unnamed
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

    /**
     * This assembly with {@code override}'s requirements in place of its own for the kinds {@code override}
     * names (a {@code --assembly FILE} over a model's shipped default); the model's name is kept unless
     * {@code override} names one. A null override changes nothing.
     */
    public Assembly overriddenBy(Assembly override) {
        if (override == null) {
            return this;
        }
        Map<ModuleKind, Requirement> merged = new EnumMap<>(ModuleKind.class);
        merged.putAll(requirements);
        merged.putAll(override.requirements());
        return new Assembly(override.model() != null ? override.model() : model, merged);
    }
}
