package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A runner's modules, rebuilt when the implementations they come from change (hot-swap). The runner asks
 * at the start of every step, never inside one: if the resolver's generation moved, the assembly is
 * resolved again and, if any kind now binds another candidate or service, the modules are rebuilt from the
 * new factories (weights are memory-mapped, so rebuilding maps, not copies). If the assembly can no longer
 * be met, the step is refused with "paused: ..." and the old modules stay, untouched, until a candidate
 * returns. Not thread-safe: confined to its runner, which runs one step at a time.
 *
 * @param <M> the built modules
 */
public final class ModuleBinding<M> {

    private final ModuleResolver resolver;
    private final Assembly assembly;
    private final Set<ModuleKind> kinds;
    private final Function<Resolution, M> build;

    private Resolution bound;
    private M modules;
    private long generation;
    private int rebuilds;

    /**
     * @param first a complete resolution of {@code kinds}, built from at once (so load errors surface here)
     */
    public ModuleBinding(ModuleResolver resolver, Assembly assembly, Set<ModuleKind> kinds, Resolution first,
                  Function<Resolution, M> build) {
        this.resolver = resolver;
        this.assembly = assembly;
        this.kinds = Set.copyOf(kinds);
        this.build = build;
        this.modules = build.apply(first);
        this.bound = first;
        this.generation = first.generation();
    }

    /**
     * The modules to run the next step with, rebound first if the installed implementations changed.
     *
     * @throws UnresolvedException "paused: no candidate for ..." if a kind has no acceptable candidate now
     */
    public M atStepBoundary() {
        if (resolver.generation() == generation) {
            return modules;
        }
        Resolution next = resolver.resolve(assembly, kinds);
        for (ModuleKind kind : kinds) {
            if (next.chosen(kind) == null) {
                // the generation is not recorded: every step tries again until a candidate returns
                throw new UnresolvedException("paused: " + unresolvedReason(next, kind));
            }
        }
        if (!sameBinding(next)) {
            modules = build.apply(next);
            bound = next;
            rebuilds++;
        }
        generation = next.generation();
        return modules;
    }

    /** The modules currently bound, without checking for changes. */
    public M current() {
        return modules;
    }

    /** How often the modules were rebuilt since the first build. */
    public int rebuilds() {
        return rebuilds;
    }

    /** Same candidate and same service object, kind by kind: nothing to rebuild. */
    private boolean sameBinding(Resolution next) {
        for (ModuleKind kind : kinds) {
            Class<?> type = kind.serviceType();
            if (!Objects.equals(next.chosen(kind), bound.chosen(kind)) || next.factory(kind, type) != bound.factory(kind, type)) {
                return false;
            }
        }
        return true;
    }

    private static String unresolvedReason(Resolution resolution, ModuleKind kind) {
        try {
            resolution.factory(kind, kind.serviceType());
            return "no candidate for " + kind.id();
        } catch (UnresolvedException e) {
            return e.getMessage();
        }
    }
}
