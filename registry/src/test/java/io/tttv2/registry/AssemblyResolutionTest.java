package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssemblyResolutionTest {

    private static final Set<ModuleKind> ATTENTION = Set.of(ModuleKind.ATTENTION);

    /** A factory that only identifies itself: resolution never calls it. */
    private static AttentionFactory attention(String label) {
        return new AttentionFactory() {
            @Override
            public io.tttv2.api.modules.Attention create(io.tttv2.api.modules.AttentionSpec spec,
                    io.tttv2.api.modules.ModuleConfig config, io.tttv2.api.modules.Weights weights,
                    io.tttv2.api.modules.Rotary rotary, io.tttv2.api.modules.AttentionBackend backend, int layer,
                    io.tttv2.api.ops.Device device) {
                throw new UnsupportedOperationException(label);
            }

            @Override
            public String toString() {
                return label;
            }
        };
    }

    private static Bindable bound(CandidateDescriptor c) {
        AttentionFactory f = attention(c.name() + " " + c.version());
        return Bindable.bound(c, () -> f);
    }

    private static Assembly pinning(Requirement requirement) {
        return new Assembly("test/model/m", Map.of(ModuleKind.ATTENTION, requirement));
    }

    private static Resolution resolve(Assembly assembly, List<Bindable> bindables) {
        return AssemblyResolution.resolve(assembly, ATTENTION, bindables, List.of(), 7);
    }

    @Test
    void unspecifiedKindsGetTheHighestTierThenTheHighestVersion() {
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        CandidateDescriptor newerContrib = Candidates.of("acme/attention/flash", "3.0.0", Tier.CONTRIB);
        CandidateDescriptor newerCore = Candidates.of("acme/attention/fast", "1.2.0", Tier.CORE);
        Resolution r = resolve(new Assembly(null, Map.of()), List.of(bound(core), bound(newerContrib), bound(newerCore)));
        assertTrue(r.complete());
        assertEquals(newerCore, r.chosen(ModuleKind.ATTENTION));
        assertEquals("acme/attention/fast 1.2.0", r.factory(ModuleKind.ATTENTION, AttentionFactory.class).toString());
        assertEquals(7, r.generation());
        Decision flash = decision(r, newerContrib);
        assertTrue(flash.eligible());
        assertFalse(flash.chosen());
        assertEquals("eligible, not chosen: acme/attention/fast 1.2.0 (core) ranks higher", flash.reason());
        assertEquals("chosen: highest tier (core), then highest version, of 3 eligible", decision(r, newerCore).reason());
    }

    @Test
    void aPinnedRangeNeverBindsOutsideIt() {
        CandidateDescriptor v1 = Candidates.of("acme/attention/flash", "1.4.0", Tier.CONTRIB);
        CandidateDescriptor v2 = Candidates.of("acme/attention/flash", "2.0.0", Tier.CONTRIB);
        Resolution r = resolve(pinning(new Requirement("acme/attention/flash", "[1.0,2)", null, null, null)),
                List.of(bound(v1), bound(v2)));
        assertEquals(v1, r.chosen(ModuleKind.ATTENTION));
        assertEquals("version 2.0.0 outside [1.0,2)", decision(r, v2).reason());

        Resolution none = resolve(pinning(new Requirement("acme/attention/flash", "[1.0,2)", null, null, null)), List.of(bound(v2)));
        assertFalse(none.complete());
        assertNull(none.chosen(ModuleKind.ATTENTION));
        UnresolvedException e = assertThrows(UnresolvedException.class, () -> none.factory(ModuleKind.ATTENTION, AttentionFactory.class));
        assertEquals("no candidate for attention meets name acme/attention/flash, version [1.0,2) (assembly of test/model/m): "
                + "acme/attention/flash 2.0.0: version 2.0.0 outside [1.0,2)", e.getMessage());
    }

    @Test
    void theMinimumTierIsComparedWithTheListedTierNotTheClaim() {
        // claims core but holds only functionally-tested: listed as contrib
        CandidateDescriptor bluffing = Candidates.of("acme/attention/fast", "9.0.0", Tier.CORE, Set.of(Certification.FUNCTIONALLY_TESTED));
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        assertEquals(Tier.CONTRIB, bluffing.listedTier());
        Resolution r = resolve(pinning(new Requirement(null, null, Tier.CORE, null, null)), List.of(bound(bluffing), bound(core)));
        assertEquals(core, r.chosen(ModuleKind.ATTENTION));
        assertEquals("tier contrib (claims core without performance-verified) below core", decision(r, bluffing).reason());
        // and without a minimum, the unbacked claim does not outrank a real core candidate
        assertEquals(core, resolve(new Assembly(null, Map.of()), List.of(bound(bluffing), bound(core))).chosen(ModuleKind.ATTENTION));
    }

    @Test
    void variantsAndDtypesTheModelNeedsMustBeSupported() {
        CandidateDescriptor c = Candidates.of("acme/attention/flash", "1.0.0", Tier.CONTRIB);   // gqa, mha; F32, BF16
        Resolution r = resolve(pinning(new Requirement(null, null, null, List.of("gqa", "sliding-window"), List.of("F16"))),
                List.of(bound(c)));
        assertEquals("no variant sliding-window; no dtype F16", decision(r, c).reason());
        assertFalse(r.complete());
    }

    @Test
    void aCandidateWithoutServiceIsRejectedWithItsReason() {
        CandidateDescriptor down = Candidates.of("acme/attention/fast", "2.0.0", Tier.CORE);
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        Resolution r = resolve(new Assembly(null, Map.of()), List.of(Bindable.unbound(down, "not resolved: bundle acme does not resolve"),
                bound(core)));
        assertEquals(core, r.chosen(ModuleKind.ATTENTION));
        assertEquals("not resolved: bundle acme does not resolve", decision(r, down).reason());
        assertFalse(decision(r, down).eligible());
    }

    @Test
    void aServiceThatCannotBeGotPassesTheChoiceToTheNext() {
        CandidateDescriptor broken = Candidates.of("acme/attention/fast", "2.0.0", Tier.CORE);
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        Resolution r = resolve(new Assembly(null, Map.of()), List.of(Bindable.bound(broken, () -> null), bound(core)));
        assertEquals(core, r.chosen(ModuleKind.ATTENTION));
        assertTrue(decision(r, broken).reason().startsWith("its service could not be got"), decision(r, broken).reason());
    }

    @Test
    void everyDecoratorWrapsTheChosenFactoryInRankingOrder() {
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        List<String> calls = new ArrayList<>();
        FactoryDecorator first = decorator("first", calls);
        FactoryDecorator second = decorator("second", calls);
        Resolution r = AssemblyResolution.resolve(new Assembly(null, Map.of()), ATTENTION, List.of(bound(core)),
                List.of(first, second), 1);
        assertEquals("second(first(tttv2/attention/sdpa 1.0.0))", r.factory(ModuleKind.ATTENTION, AttentionFactory.class).toString());
        assertEquals(List.of("first attention tttv2/attention/sdpa", "second attention tttv2/attention/sdpa"), calls);
    }

    @Test
    void aDecoratorReturningAnotherTypeIsAnError() {
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        FactoryDecorator wrong = new FactoryDecorator() {
            @Override
            @SuppressWarnings("unchecked")
            public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
                return (F) "not a factory";
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AssemblyResolution.resolve(
                new Assembly(null, Map.of()), ATTENTION, List.of(bound(core)), List.of(wrong), 1));
        assertTrue(e.getMessage().endsWith("returned java.lang.String for attention, expected a AttentionFactory"), e.getMessage());
    }

    @Test
    void askingForAKindNotResolvedOrWithTheWrongTypeIsAnError() {
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        Resolution r = resolve(new Assembly(null, Map.of()), List.of(bound(core)));
        assertThrows(IllegalArgumentException.class, () -> r.factory(ModuleKind.MLP, MlpFactory.class));
        assertThrows(IllegalArgumentException.class, () -> r.factory(ModuleKind.ATTENTION, MlpFactory.class));
    }

    @Test
    void aKindWithNoCandidateAtAllSaysSo() {
        Resolution r = AssemblyResolution.resolve(new Assembly(null, Map.of()), EnumSet.of(ModuleKind.MLP), List.of(), List.of(), 1);
        UnresolvedException e = assertThrows(UnresolvedException.class, () -> r.factory(ModuleKind.MLP, MlpFactory.class));
        assertEquals("no candidate for mlp (the assembly): none of kind mlp is installed", e.getMessage());
    }

    @Test
    void aMalformedRangeInAProgrammaticAssemblyLeavesTheKindUnresolved() {
        CandidateDescriptor core = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
        Resolution r = resolve(pinning(new Requirement(null, "one", null, null, null)), List.of(bound(core)));
        UnresolvedException e = assertThrows(UnresolvedException.class, () -> r.factory(ModuleKind.ATTENTION, AttentionFactory.class));
        assertEquals("assembly of test/model/m, attention: version range 'one' is not an OSGi range such as [1.0,2)", e.getMessage());
    }

    private static FactoryDecorator decorator(String name, List<String> calls) {
        return new FactoryDecorator() {
            @Override
            public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
                calls.add(name + " " + kind.id() + " " + candidate.name());
                AttentionFactory inner = (AttentionFactory) factory;
                return type.cast(new AttentionFactory() {
                    @Override
                    public io.tttv2.api.modules.Attention create(io.tttv2.api.modules.AttentionSpec spec,
                            io.tttv2.api.modules.ModuleConfig config, io.tttv2.api.modules.Weights weights,
                            io.tttv2.api.modules.Rotary rotary, io.tttv2.api.modules.AttentionBackend backend, int layer,
                            io.tttv2.api.ops.Device device) {
                        return inner.create(spec, config, weights, rotary, backend, layer, device);
                    }

                    @Override
                    public String toString() {
                        return name + "(" + inner + ")";
                    }
                });
            }
        };
    }

    private static Decision decision(Resolution r, CandidateDescriptor c) {
        return r.decisions().stream().filter(d -> d.candidate().equals(c)).findFirst()
                .orElseThrow(() -> new AssertionError("no decision for " + c.name()));
    }
}
