package io.tttv2.testing.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.Module;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.support.TinyModel;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The profiling decorator on the tiny model ({@link TinyModel#run}: two prompts of 6 tokens prefilled, then two
 * decode steps of both; hidden 32, 4 heads over 2 KV heads of 8, SwiGLU 64, vocabulary 50, 2 layers): calls and
 * FLOPs per kind as the shapes say, the model's output unchanged, and nothing wrapped while off.
 */
class ProfilingTest {

    private static Profile profiled(ProfileRegistry registry) {
        TinyModel model = new TinyModel(Factories.core().decoratedBy(new ProfilingFactoryDecorator(registry)),
                TestDevice.cpu());
        model.run();
        return registry.profile();
    }

    private static KindProfile kind(Profile profile, ModuleKind kind, String phase) {
        return profile.phase(phase).stream().filter(k -> k.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.id() + " " + phase + " in " + profile));
    }

    @Test
    void countsCallsAndFlopsPerKindAndPhaseFromTheShapes() {
        ProfileRegistry registry = new ProfileRegistry();
        registry.enable();
        Profile profile = profiled(registry);

        // decode: 2 steps × 2 layers, batch 2; a SwiGLU MLP is 3 matrices of 32 × 64, 2 FLOPs per weight per row
        KindProfile mlp = kind(profile, ModuleKind.MLP, Profile.DECODE);
        assertEquals(4, mlp.calls());
        assertEquals(4 * 2.0 * 2 * 3 * 32 * 64, mlp.flops());
        // weights read once per call (F32), plus x, out [2, 32] and gate/up [2, 64]
        assertEquals(4 * (3 * 32 * 64 * 4.0 + 2 * 2 * 32 * 4 + 2 * 2 * 64 * 4), mlp.bytes());
        KindProfile prefillMlp = kind(profile, ModuleKind.MLP, Profile.PREFILL);
        assertEquals(4, prefillMlp.calls(), "2 prompts × 2 layers");
        assertEquals(4 * 2.0 * 6 * 3 * 32 * 64, prefillMlp.flops());

        // attention projections: q, k, v (4 + 2 + 2 heads of 8) from 32, o back to 32
        KindProfile attention = kind(profile, ModuleKind.ATTENTION, Profile.DECODE);
        assertEquals(4 * 2.0 * 2 * (32 * 64 + 32 * 32), attention.flops());
        // the backend: step 1 sees 7 keys per sequence, step 2 sees 8; 4 heads × (8 + 8) × 2 FLOPs per key
        KindProfile backend = kind(profile, ModuleKind.ATTENTION_BACKEND, Profile.DECODE);
        assertEquals(4, backend.calls());
        assertEquals(2 * 2.0 * 4 * 16 * (7 + 7 + 8 + 8), backend.flops());
        KindProfile prefillBackend = kind(profile, ModuleKind.ATTENTION_BACKEND, Profile.PREFILL);
        assertEquals(4 * 2.0 * 4 * 16 * (1 + 2 + 3 + 4 + 5 + 6), prefillBackend.flops(), "causal: 21 keys for 6 queries");

        assertEquals(2, kind(profile, ModuleKind.LM_HEAD, Profile.DECODE).calls());
        assertEquals(2 * 2.0 * 2 * 32 * 50, kind(profile, ModuleKind.LM_HEAD, Profile.DECODE).flops());
        assertEquals(10, kind(profile, ModuleKind.NORM, Profile.DECODE).calls(), "2 per layer and the final, 2 steps");
        assertEquals(8, kind(profile, ModuleKind.ROTARY, Profile.DECODE).calls(), "q and k, 2 layers, 2 steps");
        assertEquals(4, kind(profile, ModuleKind.DECODER_LAYER, Profile.DECODE).calls());

        for (KindProfile k : profile.kinds()) {
            assertTrue(k.costed(), k.kind() + " has a cost model");
            assertTrue(k.medianNanos() > 0 && k.selfNanos() >= k.medianNanos(), k.toString());
        }
        double shares = profile.phase(Profile.DECODE).stream().mapToDouble(profile::share).sum();
        assertEquals(1.0, shares, 1e-9);
    }

    @Test
    void aProfiledModelComputesWhatTheUndecoratedOneDoes() {
        ProfileRegistry registry = new ProfileRegistry();
        registry.enable();
        float[] profiled = new TinyModel(Factories.core().decoratedBy(new ProfilingFactoryDecorator(registry)),
                TestDevice.cpu()).run();
        float[] plain = new TinyModel(Factories.core(), TestDevice.cpu()).run();
        assertArrayEquals(plain, profiled);
        assertFalse(registry.profile().isEmpty());
    }

    @Test
    void offMeansTheFactoriesAndModulesThemselves() {
        ProfileRegistry registry = new ProfileRegistry();
        ProfilingFactoryDecorator decorator = new ProfilingFactoryDecorator(registry);
        MlpFactory mlp = Factories.core().mlp();
        assertSame(mlp, decorator.decorate(ModuleKind.MLP, MlpFactory.class, mlp, null));
        TinyModel model = new TinyModel(Factories.core().decoratedBy(decorator), TestDevice.cpu());
        for (Map.Entry<String, Module> e : model.modules().entrySet()) {
            assertFalse(Proxy.isProxyClass(e.getValue().getClass()), e.getKey() + " is the implementation itself");
        }
        model.run();
        assertTrue(registry.profile().isEmpty());
    }

    @Test
    void disablingStopsRecordingInModulesAlreadyWrapped() {
        ProfileRegistry registry = new ProfileRegistry();
        registry.enable();
        TinyModel model = new TinyModel(Factories.core().decoratedBy(new ProfilingFactoryDecorator(registry)),
                TestDevice.cpu());
        registry.disable();
        model.run();
        assertTrue(registry.profile().isEmpty());
    }
}
