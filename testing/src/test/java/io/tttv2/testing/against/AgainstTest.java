package io.tttv2.testing.against;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.support.TinyModel;
import io.tttv2.testing.support.WrongModules;
import io.tttv2.testing.validation.Tolerance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Candidate against candidate on the tiny model (2 layers; 2 prompts of 6 tokens, then 2 decode steps of both):
 * the same norm as the other side agrees exactly, a norm without epsilon is caught per module path, the other
 * device (one worker against two) agrees within tolerance, and the chosen side's output is unchanged.
 */
class AgainstTest {

    private static List<ModuleAgainst> run(AgainstRegistry registry) {
        TinyModel model = new TinyModel(Factories.core().decoratedBy(new AgainstFactoryDecorator(registry)),
                TestDevice.cpu());
        registry.nameModules(model.modules());
        model.run();
        return registry.summary();
    }

    @Test
    void theSameCandidateOnBothSidesAgreesExactlyPerModulePath() {
        AgainstRegistry registry = new AgainstRegistry();
        registry.start(ModuleKind.NORM, "tttv2/norm/rms (a second instance)", Factories.core().norm(), Tolerance.DEFAULT);
        List<ModuleAgainst> modules = run(registry);
        // 2 norms per layer and the final one; each called by 2 prefills and 2 decode steps
        assertEquals(5, modules.size(), modules.toString());
        assertEquals("model.layers.0.input_layernorm", modules.get(0).module());
        for (ModuleAgainst m : modules) {
            assertTrue(m.passed(), m.toString());
            assertEquals(ModuleKind.NORM, m.kind());
            assertEquals(4, m.calls(), m.toString());
            assertEquals(1.0, m.worstPcc(), 1e-12);
            assertEquals(0.0, m.maxAbsError());
        }
    }

    @Test
    void aDifferentCandidateIsCaughtAndTheChosenSideRunsAsWithoutIt() {
        AgainstRegistry registry = new AgainstRegistry();
        registry.start(ModuleKind.NORM, "wrong/norm/no-epsilon", WrongModules.rmsNormWithoutEpsilon(),
                new Tolerance(0.99999, 1e-7));
        TinyModel model = new TinyModel(Factories.core().decoratedBy(new AgainstFactoryDecorator(registry)),
                TestDevice.cpu());
        registry.nameModules(model.modules());
        float[] compared = model.run();
        assertArrayEquals(new TinyModel(Factories.core(), TestDevice.cpu()).run(), compared,
                "the chosen candidate's outputs are what the model computes");
        List<ModuleAgainst> modules = registry.summary();
        assertFalse(modules.isEmpty());
        assertTrue(modules.stream().anyMatch(m -> !m.passed()), modules.toString());
        ModuleAgainst failing = modules.stream().filter(m -> !m.passed()).findFirst().orElseThrow();
        assertTrue(failing.firstFailure().contains("max abs error"), failing.firstFailure());
        assertEquals("wrong/norm/no-epsilon", failing.other());
        String table = AgainstTable.render("norm", "wrong/norm/no-epsilon", modules);
        assertTrue(table.contains("✗ model.layers."), table);
        assertTrue(table.contains("OUT OF TOLERANCE"), table);
    }

    @Test
    void anotherDeviceTwinsEveryModuleKindAndAgrees() {
        try (CpuDevice one = new CpuDevice(1)) {
            AgainstRegistry registry = new AgainstRegistry();
            registry.start(ModuleKind.DEVICE, "cpu with 1 worker", one, Tolerance.DEFAULT);
            List<ModuleAgainst> modules = run(registry);
            // embedding, rotary, per layer: 2 norms, attention (its backend is built by the layer's factory
            // helper and twinned too), MLP, the layer; the final norm and the LM head
            List<ModuleKind> kinds = modules.stream().map(ModuleAgainst::kind).distinct().sorted().toList();
            assertEquals(List.of(ModuleKind.ATTENTION, ModuleKind.ATTENTION_BACKEND, ModuleKind.MLP, ModuleKind.NORM,
                    ModuleKind.ROTARY, ModuleKind.EMBEDDING, ModuleKind.LM_HEAD, ModuleKind.DECODER_LAYER), kinds);
            for (ModuleAgainst m : modules) {
                assertTrue(m.passed(), m.toString());
            }
        }
    }

    @Test
    void stoppedMeansTheFactoryItselfAndAnOtherKindIsLeftAlone() {
        AgainstRegistry registry = new AgainstRegistry();
        AgainstFactoryDecorator decorator = new AgainstFactoryDecorator(registry);
        NormFactory norm = Factories.core().norm();
        assertSame(norm, decorator.decorate(ModuleKind.NORM, NormFactory.class, norm, null));
        registry.start(ModuleKind.MLP, "other/mlp", Factories.core().mlp(), Tolerance.DEFAULT);
        assertSame(norm, decorator.decorate(ModuleKind.NORM, NormFactory.class, norm, null));
        registry.stop();
        assertSame(norm, decorator.decorate(ModuleKind.NORM, NormFactory.class, norm, null));
    }
}
