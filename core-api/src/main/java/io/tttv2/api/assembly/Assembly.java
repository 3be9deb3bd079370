package io.tttv2.api.assembly;

import io.tttv2.api.candidate.ModuleKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's declarative choice of implementations: a requirement per module kind. Kinds it does not name
 * get the default — the highest tier, then the highest version. Read from JSON (a model bundle's
 * {@code assembly.json}, or {@code --assembly FILE}) by {@link Assemblies}.
 *
 * @param model        who asks, for messages (e.g. {@code tttv2/model/llama-family}); null when unnamed
 * @param requirements module kind → requirement
 * @param moduleConfig module path (HF's, e.g. {@code model.layers.0.mlp}) → knob → value, laid over the kind's
 *                     {@link Requirement#config()} for that one module (JSON {@code "moduleConfig"})
 */
public record Assembly(String model, Map<ModuleKind, Requirement> requirements,
                       Map<String, Map<String, Integer>> moduleConfig) {

    public Assembly {
        requirements = Map.copyOf(requirements);
        Map<String, Map<String, Integer>> paths = new TreeMap<>();
        if (moduleConfig != null) {
            moduleConfig.forEach((path, knobs) -> paths.put(path, Collections.unmodifiableMap(new TreeMap<>(knobs))));
        }
        moduleConfig = Collections.unmodifiableMap(paths);
    }

    /** An assembly without per-module configuration. */
    public Assembly(String model, Map<ModuleKind, Requirement> requirements) {
        this(model, requirements, Map.of());
    }

    /**
     * The configuration overrides for the module at {@code path} of {@code kind}: the kind's, then the path's
     * on top (sorted by knob).
     */
    public Map<String, Integer> configFor(ModuleKind kind, String path) {
        Map<String, Integer> out = new TreeMap<>(requirement(kind).config());
        out.putAll(moduleConfig.getOrDefault(path, Map.of()));
        return Collections.unmodifiableMap(out);
    }

    /** The requirement for {@code kind}, or {@link Requirement#any()}. */
    public Requirement requirement(ModuleKind kind) {
        return requirements.getOrDefault(kind, Requirement.any());
    }

    /**
     * This assembly with {@code override}'s requirements in place of its own for the kinds {@code override}
     * names (a {@code --assembly FILE} over a model's shipped default); the model's name is kept unless
     * {@code override} names one. A requirement that only sets configuration knobs keeps this assembly's choice
     * for its kind and lays the knobs over its configuration. A null override changes nothing.
     */
    public Assembly overriddenBy(Assembly override) {
        if (override == null) {
            return this;
        }
        Map<ModuleKind, Requirement> merged = new EnumMap<>(ModuleKind.class);
        merged.putAll(requirements);
        override.requirements().forEach((kind, r) -> merged.put(kind, r.selectsNothing() && !r.config().isEmpty()
                ? requirement(kind).configuredBy(r.config()) : r));
        Map<String, Map<String, Integer>> paths = new TreeMap<>(moduleConfig);
        paths.putAll(override.moduleConfig());
        return new Assembly(override.model() != null ? override.model() : model, merged, paths);
    }
}
