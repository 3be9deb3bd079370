package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rebinding at step boundaries, against a resolver whose answers the test sets. */
class ModuleBindingTest {

    private static final Set<ModuleKind> MLP = Set.of(ModuleKind.MLP);

    private static CandidateDescriptor candidate(String version) {
        return new CandidateDescriptor("acme/mlp/fast", ModuleKind.MLP, version, Tier.EXPERIMENTAL, Set.of(), List.of(),
                List.of(), List.of(), "acme/" + version);
    }

    /** A resolution choosing {@code factory} (or nothing, when null) at {@code generation}. */
    private static Resolution resolution(CandidateDescriptor chosen, MlpFactory factory, long generation) {
        return new Resolution() {
            @Override
            public boolean complete() {
                return chosen != null;
            }

            @Override
            public <F> F factory(ModuleKind kind, Class<F> type) {
                if (chosen == null) {
                    throw new UnresolvedException("no candidate for mlp meets version [1.0,2)");
                }
                return type.cast(factory);
            }

            @Override
            public CandidateDescriptor chosen(ModuleKind kind) {
                return chosen;
            }

            @Override
            public List<Decision> decisions() {
                return List.of();
            }

            @Override
            public long generation() {
                return generation;
            }
        };
    }

    private static final class SettableResolver implements ModuleResolver {
        long generation;
        Resolution next;
        int resolutions;

        @Override
        public Resolution resolve(Assembly assembly, Set<ModuleKind> kinds) {
            resolutions++;
            return next;
        }

        @Override
        public long generation() {
            return generation;
        }
    }

    /** A distinct factory object per call (a non-capturing lambda would be one shared instance). */
    private static MlpFactory factory() {
        return new MlpFactory() {
            @Override
            public io.tttv2.api.modules.Mlp create(io.tttv2.api.modules.MlpSpec spec, io.tttv2.api.modules.ModuleConfig config,
                                                   io.tttv2.api.modules.Weights weights, io.tttv2.api.ops.Device device) {
                throw new UnsupportedOperationException("never built from in this test");
            }
        };
    }

    @Test
    void anUnchangedGenerationNeitherResolvesNorRebuilds() {
        SettableResolver resolver = new SettableResolver();
        MlpFactory f = factory();
        ModuleBinding<Object> binding = new ModuleBinding<>(resolver, new Assembly(null, Map.of()), MLP,
                resolution(candidate("1.0.0"), f, 0), r -> new Object());
        Object first = binding.current();
        assertSame(first, binding.atStepBoundary());
        assertEquals(0, resolver.resolutions);
    }

    @Test
    void aNewGenerationWithTheSameChoiceKeepsTheModules() {
        SettableResolver resolver = new SettableResolver();
        MlpFactory f = factory();
        ModuleBinding<Object> binding = new ModuleBinding<>(resolver, new Assembly(null, Map.of()), MLP,
                resolution(candidate("1.0.0"), f, 0), r -> new Object());
        Object first = binding.current();
        resolver.generation = 1;
        resolver.next = resolution(candidate("1.0.0"), f, 1);
        assertSame(first, binding.atStepBoundary());
        assertEquals(0, binding.rebuilds());
        assertSame(first, binding.atStepBoundary());
        assertEquals(1, resolver.resolutions);     // the generation was recorded: no second resolution
    }

    @Test
    void anotherCandidateOrAnotherServiceRebuilds() {
        SettableResolver resolver = new SettableResolver();
        MlpFactory f = factory();
        ModuleBinding<MlpFactory> binding = new ModuleBinding<>(resolver, new Assembly(null, Map.of()), MLP,
                resolution(candidate("1.0.0"), f, 0), r -> r.factory(ModuleKind.MLP, MlpFactory.class));
        MlpFactory g = factory();
        resolver.generation = 1;
        resolver.next = resolution(candidate("1.1.0"), g, 1);
        assertSame(g, binding.atStepBoundary());
        MlpFactory h = factory();            // same candidate, a new service object (an updated bundle)
        resolver.generation = 2;
        resolver.next = resolution(candidate("1.1.0"), h, 2);
        assertSame(h, binding.atStepBoundary());
        assertEquals(2, binding.rebuilds());
    }

    @Test
    void withNoCandidateTheStepIsPausedAndTheOldModulesStayUntilOneReturns() {
        SettableResolver resolver = new SettableResolver();
        MlpFactory f = factory();
        ModuleBinding<MlpFactory> binding = new ModuleBinding<>(resolver, new Assembly(null, Map.of()), MLP,
                resolution(candidate("1.0.0"), f, 0), r -> r.factory(ModuleKind.MLP, MlpFactory.class));
        resolver.generation = 1;
        resolver.next = resolution(null, null, 1);
        UnresolvedException paused = assertThrows(UnresolvedException.class, binding::atStepBoundary);
        assertEquals("paused: no candidate for mlp meets version [1.0,2)", paused.getMessage());
        assertThrows(UnresolvedException.class, binding::atStepBoundary);     // still paused: tried again
        assertSame(f, binding.current());
        MlpFactory back = factory();
        resolver.generation = 2;
        resolver.next = resolution(candidate("1.0.0"), back, 2);
        assertSame(back, binding.atStepBoundary());
    }
}
