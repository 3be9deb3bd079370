package io.tttv2.registry;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves an assembly against the candidates that can be bound now: per kind, the candidates meeting the
 * requirement, the best of them by {@link CandidateOrder}, and a reason for every candidate considered.
 * Pure: the framework's state comes in as {@link Bindable}s and decorators.
 */
final class AssemblyResolution {

    private AssemblyResolution() {
    }

    static ResolvedAssembly resolve(Assembly assembly, Set<ModuleKind> kinds, List<Bindable> bindables,
                                    List<FactoryDecorator> decorators, long generation) {
        String who = assembly.model() == null ? "the assembly" : "assembly of " + assembly.model();
        Map<ModuleKind, CandidateDescriptor> chosen = new EnumMap<>(ModuleKind.class);
        Map<ModuleKind, Object> factories = new EnumMap<>(ModuleKind.class);
        Map<ModuleKind, String> unresolved = new EnumMap<>(ModuleKind.class);
        List<Decision> decisions = new ArrayList<>();
        for (ModuleKind kind : kinds.isEmpty() ? EnumSet.noneOf(ModuleKind.class) : EnumSet.copyOf(kinds)) {
            Class<?> type = kind.serviceType();
            Requirement requirement = assembly.requirement(kind);
            RequirementCheck check;
            try {
                check = new RequirementCheck(requirement, who + ", " + kind.id());
            } catch (UnresolvedException e) {
                unresolved.put(kind, e.getMessage());
                continue;
            }
            List<Bindable> ofKind = bindables.stream().filter(b -> b.candidate().kind() == kind)
                    .sorted((a, b) -> CandidateOrder.PREFERENCE.compare(a.candidate(), b.candidate())).toList();
            List<Bindable> eligible = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            Map<Bindable, String> lost = new HashMap<>();
            Object factory = null;
            Bindable winner = null;
            for (Bindable b : ofKind) {
                List<String> reasons = new ArrayList<>(check.rejections(b.candidate()));
                if (b.unavailable() != null) {
                    reasons.add(b.unavailable());
                }
                if (reasons.isEmpty() && winner == null) {
                    // the best acceptable candidate whose service can be had wins
                    factory = b.factory().get();
                    if (factory == null) {
                        lost.put(b, "its service could not be got (gone, or its component failed to activate)");
                        reasons.add(lost.get(b));
                    } else {
                        winner = b;
                    }
                }
                if (reasons.isEmpty()) {
                    eligible.add(b);
                } else {
                    rejected.add(label(b.candidate()) + ": " + String.join("; ", reasons));
                }
            }
            for (Bindable b : ofKind) {
                decisions.add(decision(kind, b, winner, eligible, check, requirement, lost.get(b)));
            }
            if (winner == null) {
                String needs = requirement.equals(Requirement.any()) ? "" : " meets " + requirement.describe();
                unresolved.put(kind, "no candidate for " + kind.id() + needs + " (" + who + "): "
                        + (ofKind.isEmpty() ? "none of kind " + kind.id() + " is installed" : String.join("; ", rejected)));
            } else {
                chosen.put(kind, winner.candidate());
                factories.put(kind, decorate(kind, type, winner.candidate(), factory, decorators));
            }
        }
        return new ResolvedAssembly(kinds, chosen, factories, unresolved, decisions, generation);
    }

    private static Decision decision(ModuleKind kind, Bindable b, Bindable winner, List<Bindable> eligible,
                                     RequirementCheck check, Requirement requirement, String lost) {
        if (b == winner) {
            String why;
            if (eligible.size() == 1) {
                why = requirement.name() != null ? "chosen: the candidate the assembly names" : "chosen: the only eligible candidate";
            } else {
                why = "chosen: highest tier (" + b.candidate().listedTier().id() + "), then highest version, of "
                        + eligible.size() + " eligible";
            }
            return new Decision(kind, b.candidate(), true, true, why);
        }
        List<String> reasons = new ArrayList<>(check.rejections(b.candidate()));
        if (b.unavailable() != null) {
            reasons.add(b.unavailable());
        }
        if (lost != null) {
            reasons.add(lost);
        }
        String why = reasons.isEmpty() ? "eligible, not chosen: " + label(winner.candidate()) + " ("
                + winner.candidate().listedTier().id() + ") ranks higher" : String.join("; ", reasons);
        return new Decision(kind, b.candidate(), reasons.isEmpty(), false, why);
    }

    /** Passes the chosen service through every decorator, in ranking order; each must return the same type. */
    private static Object decorate(ModuleKind kind, Class<?> type, CandidateDescriptor candidate, Object factory,
                                   List<FactoryDecorator> decorators) {
        for (FactoryDecorator decorator : decorators) {
            factory = decorateOnce(decorator, kind, type, factory, candidate);
        }
        return factory;
    }

    private static <F> F decorateOnce(FactoryDecorator decorator, ModuleKind kind, Class<F> type, Object factory,
                                      CandidateDescriptor candidate) {
        F decorated = decorator.decorate(kind, type, type.cast(factory), candidate);
        if (!type.isInstance(decorated)) {
            throw new IllegalStateException("factory decorator " + decorator.getClass().getName() + " returned "
                    + (decorated == null ? "null" : decorated.getClass().getName()) + " for " + kind.id()
                    + ", expected a " + type.getSimpleName());
        }
        return decorated;
    }

    static String label(CandidateDescriptor c) {
        return c.name() + " " + c.version();
    }
}
