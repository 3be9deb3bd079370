package io.tttv2.testing.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.support.TinyModel;
import io.tttv2.testing.support.WrongModules;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The acceptance of the testing tools: a deliberately wrong module in a model is reported as failing with
 * the right module named, and a correct model passes. The model is composed from decorated factories
 * exactly as the host hands them out; it does nothing to opt in.
 */
class WrongModuleTest {

    private final ValidationRegistry registry = new ValidationRegistry();

    private ValidationSummary validate(Factories factories) {
        registry.enable();
        TinyModel model = new TinyModel(factories.decoratedBy(new ValidatingFactoryDecorator(registry)), TestDevice.cpu());
        registry.nameModules(model.modules());
        model.run();
        return registry.summary();
    }

    @Test
    void aCorrectModelPassesAndEveryKindItUsesIsValidated() {
        ValidationSummary summary = validate(Factories.core());
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(Set.of("attention", "attention-backend", "decoder-layer", "embedding", "lm-head", "mlp", "norm",
                "rotary"), summary.kinds());
        // every module of the model (per layer: two norms, attention, its backend, MLP, the layer), in prefill and decode
        assertEquals(TinyModel.LAYERS * 6 + 4, summary.modules().size(), summary.modules().toString());
        ModuleSummary attention = summary.module("model.layers.1.self_attn");
        assertEquals(2 + 2, attention.calls(), "two prefills and two batched decode steps");
        assertTrue(attention.worstPcc() >= 0.99999, "PCC " + attention.worstPcc());
        assertTrue(summary.averageSpeedup() > 0);
    }

    @Test
    void rmsNormWithoutEpsilonIsNamedAsWhereTheErrorStarts() {
        ValidationSummary summary = validate(Factories.core().withNorm(WrongModules.rmsNormWithoutEpsilon()));
        assertFalse(summary.passed());
        List<String> roots = summary.rootCauses().stream().map(ModuleSummary::module).toList();
        assertTrue(roots.contains("model.layers.0.input_layernorm"), roots::toString);
        for (ModuleSummary root : summary.rootCauses()) {
            assertEquals(ModuleKind.NORM, root.kind(), root.module() + " is not a norm");
        }
        ModuleSummary norm = summary.module("model.layers.0.input_layernorm");
        assertEquals("test/norm/rms-without-epsilon", norm.implementation());
        assertTrue(norm.firstFailure().startsWith("model.layers.0.input_layernorm (norm, test/norm/rms-without-epsilon) prefill [6, 32]"),
                norm.firstFailure());
        // the modules that compute correctly on the inputs they were given pass
        for (ModuleKind kind : List.of(ModuleKind.EMBEDDING, ModuleKind.ROTARY, ModuleKind.ATTENTION, ModuleKind.MLP,
                ModuleKind.LM_HEAD)) {
            for (ModuleSummary m : summary.ofKind(kind)) {
                assertTrue(m.passed(), m.module() + " should pass: " + m.firstFailure());
            }
        }
        // the layer containing it fails too, and says which part failed
        ModuleSummary layer = summary.module("model.layers.0");
        assertFalse(layer.passed());
        assertTrue(layer.failingParts().contains("model.layers.0.input_layernorm"), layer.failingParts()::toString);
    }

    @Test
    void ropeWithHalvesSwappedIsNamedAsWhereTheErrorStarts() {
        ValidationSummary summary = validate(Factories.core().withRotary(WrongModules.ropeWithHalvesSwapped()));
        assertFalse(summary.passed());
        assertEquals(List.of("model.rotary_emb"), summary.rootCauses().stream().map(ModuleSummary::module).toList());
        ModuleSummary rotary = summary.module("model.rotary_emb");
        assertEquals(rotary.calls(), rotary.failedCalls(), "every call rotates some position > 0");
        ModuleSummary attention = summary.module("model.layers.0.self_attn");
        assertFalse(attention.passed(), "the attention's reference rotates correctly");
        assertEquals(List.of("model.rotary_emb"), attention.failingParts());
        for (ModuleKind kind : List.of(ModuleKind.EMBEDDING, ModuleKind.NORM, ModuleKind.MLP, ModuleKind.LM_HEAD)) {
            for (ModuleSummary m : summary.ofKind(kind)) {
                assertTrue(m.passed(), m.module() + " should pass: " + m.firstFailure());
            }
        }
    }

    @Test
    void raisingStopsAtTheFirstFailureNamingTheModule() {
        registry.setOptions(ValidationOptions.defaults().raisingOnFailure(true));
        ValidationFailedException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationFailedException.class,
                () -> validate(Factories.core().withNorm(WrongModules.rmsNormWithoutEpsilon())));
        assertTrue(e.getMessage().startsWith("model.layers.0.input_layernorm (norm, "), e.getMessage());
        assertEquals(1, registry.records().stream().filter(r -> !r.passed()).count(), "nothing ran after the failure");
    }

    @Test
    void aLooserNormToleranceLetsTheEpsilonFreeNormPass() {
        registry.setOptions(ValidationOptions.defaults().withTolerance(ModuleKind.NORM, new Tolerance(0.9, 10)));
        ValidationSummary summary = validate(Factories.core().withNorm(WrongModules.rmsNormWithoutEpsilon()));
        for (ModuleSummary m : summary.ofKind(ModuleKind.NORM)) {
            assertTrue(m.passed(), m.firstFailure());
        }
        assertEquals(new Tolerance(0.9, 10), registry.records().stream()
                .filter(r -> r.kind() == ModuleKind.NORM).findFirst().orElseThrow().tolerance());
    }
}
