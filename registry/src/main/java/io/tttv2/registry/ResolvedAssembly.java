package io.tttv2.registry;

import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An immutable {@link Resolution}: what was chosen per kind (factories already decorated), and why. */
final class ResolvedAssembly implements Resolution {

    private final Set<ModuleKind> kinds;
    private final Map<ModuleKind, CandidateDescriptor> chosen;
    private final Map<ModuleKind, Object> factories;
    private final Map<ModuleKind, String> unresolved;
    private final List<Decision> decisions;
    private final long generation;

    ResolvedAssembly(Set<ModuleKind> kinds, Map<ModuleKind, CandidateDescriptor> chosen, Map<ModuleKind, Object> factories,
                     Map<ModuleKind, String> unresolved, List<Decision> decisions, long generation) {
        this.kinds = Set.copyOf(kinds);
        this.chosen = Map.copyOf(chosen);
        this.factories = Map.copyOf(factories);
        this.unresolved = Map.copyOf(unresolved);
        this.decisions = List.copyOf(decisions);
        this.generation = generation;
    }

    @Override
    public boolean complete() {
        return unresolved.isEmpty();
    }

    @Override
    public <F> F factory(ModuleKind kind, Class<F> type) {
        if (!kinds.contains(kind)) {
            throw new IllegalArgumentException("kind " + kind.id() + " was not asked for when resolving; asked: "
                    + kinds.stream().map(ModuleKind::id).sorted().toList());
        }
        String why = unresolved.get(kind);
        if (why != null) {
            throw new UnresolvedException(why);
        }
        Class<?> expected = kind.serviceType();
        if (type != expected) {
            throw new IllegalArgumentException("kind " + kind.id() + " is implemented by " + expected.getSimpleName()
                    + ", not " + type.getSimpleName());
        }
        return type.cast(factories.get(kind));
    }

    @Override
    public CandidateDescriptor chosen(ModuleKind kind) {
        return chosen.get(kind);
    }

    @Override
    public List<Decision> decisions() {
        return decisions;
    }

    @Override
    public long generation() {
        return generation;
    }

    /** Why each unresolved kind is unresolved (one line each), for the runner's pause status. */
    Map<ModuleKind, String> unresolved() {
        return unresolved;
    }
}
