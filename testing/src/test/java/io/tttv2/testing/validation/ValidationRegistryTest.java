package io.tttv2.testing.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.MapWeights;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.support.TinyModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationRegistryTest {

    private final ValidationRegistry registry = new ValidationRegistry();
    private final ValidatingFactoryDecorator decorator = new ValidatingFactoryDecorator(registry);
    private final Device device = TestDevice.cpu();

    @Test
    void disabledTheDecoratorHandsOutTheFactoryItself() {
        Factories core = Factories.core();
        Factories decorated = core.decoratedBy(decorator);
        assertSame(core.norm(), decorated.norm());
        assertSame(core.attention(), decorated.attention());
        assertSame(core.decoderLayer(), decorated.decoderLayer());
        // so the modules a model builds are the implementations themselves
        TinyModel model = new TinyModel(decorated, device);
        assertFalse(model.modules().values().stream().anyMatch(m -> m instanceof ValidatedModule));
    }

    @Test
    void enabledTheDecoratorWrapsOnceAndModulesRecordTheirCalls() {
        registry.enable();
        NormFactory wrapped = decorator.decorate(ModuleKind.NORM, NormFactory.class, Factories.core().norm(), null);
        assertNotSame(Factories.core().norm(), wrapped);
        assertSame(wrapped, decorator.decorate(ModuleKind.NORM, NormFactory.class, wrapped, null), "not wrapped twice");
        Norm norm = wrapped.create(NormSpec.rms(4, 1e-6f), weights(1, 1, 1, 1), device);
        assertTrue(norm instanceof ValidatedModule);
        assertEquals("norm#1", ((ValidatedModule) norm).validationName());
        assertEquals("tttv2/norm/rms", norm.candidate());

        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        norm.prefill(x, x);                     // in place: the reference must see the input, not the output
        ValidationRecord r = registry.records().get(0);
        assertTrue(r.passed(), r.describe());
        assertEquals(List.of(2, 4), r.shape());
        assertEquals("prefill 2", r.coverage().shapeBucket());
        // the implementation really ran: row 0 is [1,2,3,4] / rms 2.7386
        assertEquals(1 / Math.sqrt(7.5 + 1e-6), x.getFloat(0, 0), 1e-6);
    }

    @Test
    void disablingStopsValidationInModulesAlreadyWrappedAndClearForgets() {
        registry.enable();
        Norm norm = decorator.decorate(ModuleKind.NORM, NormFactory.class, Factories.core().norm(), null)
                .create(NormSpec.rms(4, 1e-6f), weights(1, 1, 1, 1), device);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        norm.decode(x, x);
        assertEquals(1, registry.records().size());
        registry.disable();
        norm.decode(x, x);
        assertEquals(1, registry.records().size());
        registry.clear();
        assertTrue(registry.records().isEmpty());
        assertTrue(registry.summary().modules().isEmpty());
        assertTrue(registry.coverage().kinds().isEmpty());
    }

    @Test
    void aReferenceThatFailsIsRecordedAsAFailedCheck() {
        registry.enable();
        // an implementation that ignores its weights, given a weight the reference cannot use
        NormFactory lenient = (spec, w, d) -> Factories.core().norm().create(spec, weights(1, 1, 1, 1), d);
        Norm norm = decorator.decorate(ModuleKind.NORM, NormFactory.class, lenient, null)
                .create(NormSpec.rms(4, 1e-6f), weights(1, 1, 1), device);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        norm.prefill(x, x);
        ValidationRecord r = registry.records().get(0);
        assertFalse(r.passed());
        assertEquals("reference failed: norm reference: weight 'weight' has shape [3], expected [4]", r.failure());
        assertTrue(r.describe().endsWith(r.failure()), r.describe());
        assertEquals(1, registry.summary().failedCalls());
    }

    @Test
    void customMetricsAreRecordedAndJudge() {
        registry.setOptions(ValidationOptions.defaults().withMetric(metric("max-relative-error", 1e-3))
                .withMetric(metric("below-zero", -1)));
        registry.enable();
        Norm norm = decorator.decorate(ModuleKind.NORM, NormFactory.class, Factories.core().norm(), null)
                .create(NormSpec.rms(4, 1e-6f), weights(1.1f, 0.9f, 1.3f, 0.7f), device);
        Tensor x = Tensor.of(new float[] {0.1f, 2, -3, 4.7f, 1e-3f, 5, 0.3f, -0.2f}, 2, 4);
        norm.prefill(x, x);
        ValidationRecord r = registry.records().get(0);
        assertEquals(List.of("max-relative-error", "below-zero"), r.metrics().stream().map(MetricResult::name).toList());
        assertTrue(r.metrics().get(0).passed(), r.describe());
        assertTrue(r.comparison().pcc() > 0.99999, "the tolerance alone would pass");
        assertFalse(r.metrics().get(1).passed(), "a relative error is never below zero");
        assertFalse(r.passed(), "a failing metric fails the call: " + r.describe());
        assertTrue(r.describe().contains("max-relative-error"), r.describe());
    }

    /** The largest |actual − expected| / |expected|, passing at or under {@code limit}. */
    private static CustomMetric metric(String name, double limit) {
        return new CustomMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public MetricResult evaluate(ModuleKind kind, float[] actual, float[] expected) {
                double worst = 0;
                for (int i = 0; i < actual.length; i++) {
                    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1e-30, Math.abs(expected[i])));
                }
                return new MetricResult(name, worst, worst <= limit);
            }
        };
    }

    @Test
    void coverageListsWhatWasExercisedAndWhatModelsUseButNeverValidated() {
        registry.enable();
        Factories decorated = Factories.core().decoratedBy(decorator);
        Norm called = decorated.norm().create(NormSpec.rms(4, 1e-6f), weights(1, 1, 1, 1), device);
        decorated.norm().create(NormSpec.rms(4, 1e-5f), weights(1, 1, 1, 1), device);      // created, never called
        called.prefill(Tensor.of(new float[12], 3, 4), Tensor.of(new float[12], 3, 4));
        var norms = registry.coverage().kind(ModuleKind.NORM);
        assertEquals(1, norms.exercised().size());
        assertEquals(List.of("prefill 3-4"), norms.exercised().get(0).shapeBuckets());
        assertEquals(List.of("decode"), norms.exercised().get(0).missingEntries());
        assertEquals(1, norms.neverValidated().size());
        assertTrue(norms.neverValidated().get(0).description().contains("eps=1.0E-5"),
                norms.neverValidated().get(0).description());
        assertEquals(norms.exercised().get(0).configuration().kind(), ModuleKind.NORM);
        assertFalse(norms.exercised().get(0).configuration().fingerprint()
                .equals(norms.neverValidated().get(0).fingerprint()), "different eps, different fingerprint");
    }

    @Test
    void modulesAreNamedByTheModelsPaths() {
        registry.enable();
        TinyModel model = new TinyModel(Factories.core().decoratedBy(decorator), device);
        assertEquals(model.modules().size(), registry.nameModules(model.modules()));
        assertEquals("model.layers.1.mlp", ((ValidatedModule) model.modules().get("model.layers.1.mlp")).validationName());
        ValidatedModule layer = (ValidatedModule) model.modules().get("model.layers.0");
        assertEquals(List.of("model.layers.0.input_layernorm", "model.layers.0.self_attn",
                "model.layers.0.post_attention_layernorm", "model.layers.0.mlp"),
                layer.parts().stream().map(ValidatedModule::validationName).toList());
    }

    private static MapWeights weights(float... weight) {
        return new MapWeights(Map.of("weight", Tensor.of(weight, weight.length)));
    }
}
