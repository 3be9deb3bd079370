package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleConfigsTest {

    private static final MlpSpec MLP = new MlpSpec(64, 128, Activation.SILU, true, false);

    private static Device device(int workers) {
        return new Device() {
            @Override
            public String name() {
                return "cpu";
            }

            @Override
            public int parallelism() {
                return workers;
            }

            @Override
            public Ops ops() {
                throw new UnsupportedOperationException();
            }

            @Override
            public PagedKvCache allocateKvCache(KvCacheSpec spec) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static ModuleConfigs configs(Assembly assembly, int workers) {
        return new ModuleConfigs(new ModuleConfig(4, 256), assembly, null, null, 512, device(workers));
    }

    @Test
    void defaultsComeFromTheDeviceAndOverridesFromTheKindThenThePath() {
        Assembly none = new Assembly(null, Map.of());
        assertEquals(new ModuleConfig(4, 256, 4), configs(none, 2).of(ModuleKind.MLP, "model.layers.0.mlp", MLP));
        assertEquals(new ModuleConfig(4, 256, 1), configs(none, 1).of(ModuleKind.MLP, "model.layers.0.mlp", MLP),
                "one worker: no split");
        Assembly both = new Assembly(null, Map.of(ModuleKind.MLP, new Requirement(null, null, null, List.of(), List.of(),
                Map.of("matmulSplit", 2))), Map.of("model.layers.1.mlp", Map.of("prefillChunk", 32)));
        assertEquals(new ModuleConfig(4, 256, 2), configs(both, 2).of(ModuleKind.MLP, "model.layers.0.mlp", MLP));
        assertEquals(new ModuleConfig(4, 32, 2), configs(both, 2).of(ModuleKind.MLP, "model.layers.1.mlp", MLP));
        assertEquals(new ModuleConfig(4, 256, 4), configs(both, 2).of(ModuleKind.ATTENTION, "model.layers.1.self_attn", MLP));
    }

    @Test
    void anOverrideThatCannotApplyNamesTheModule() {
        Assembly bad = new Assembly(null, Map.of(), Map.of("lm_head", Map.of("tiles", 2)));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> configs(bad, 2).of(ModuleKind.LM_HEAD, "lm_head", MLP));
        assertEquals("assembly: module lm_head (lm-head): knob 'tiles' expected one of prefillChunk, matmulSplit, kvTile, kvDtype, fusedProjections, found an unknown knob",
                e.getMessage());
    }

    @Test
    void anAttentionBackendsKvTileDefaultsFromItsHeadDimsAndIsOverridable() {
        AttentionBackendSpec backend = new AttentionBackendSpec(8, 2, 64, new AttentionParams(0.125f, true, 0, 0f));
        Assembly none = new Assembly(null, Map.of());
        assertEquals(256, configs(none, 2).of(ModuleKind.ATTENTION_BACKEND, "model.attention_backend", backend).kvTile());
        assertEquals(0, configs(none, 2).of(ModuleKind.MLP, "model.layers.0.mlp", MLP).kvTile(), "not an attention: untiled");
        Assembly tiled = new Assembly(null, Map.of(ModuleKind.ATTENTION_BACKEND, new Requirement(null, null, null,
                List.of(), List.of(), Map.of("kvTile", 32))));
        assertEquals(32, configs(tiled, 2).of(ModuleKind.ATTENTION_BACKEND, "model.attention_backend", backend).kvTile());
    }

    @Test
    void theKvDtypeIsTheAttentionKindsForTheWholeCache() {
        Assembly bf16 = new Assembly(null, Map.of(ModuleKind.ATTENTION, new Requirement(null, null, null, List.of(),
                List.of(), Map.of("kvDtype", 1))));
        assertEquals(DType.BF16, KvDtypes.of(bf16));
        assertEquals(DType.F32, KvDtypes.of(new Assembly(null, Map.of())));
        ModuleConfigs configs = new ModuleConfigs(new ModuleConfig(4, 256).withKvDtype(DType.BF16), bf16, null, null, 512,
                device(2));
        assertEquals(DType.BF16, configs.of(ModuleKind.ATTENTION, "model.layers.0.self_attn", MLP).kvDtype());
        assertEquals(DType.F32, configs.of(ModuleKind.MLP, "model.layers.0.mlp", MLP).kvDtype(),
                "kinds that do not read the cache keep the default, and their fingerprints");
        ModelLoadException mlp = assertThrows(ModelLoadException.class, () -> new ModuleConfigs(
                new ModuleConfig(4, 256).withKvDtype(DType.BF16), new Assembly(null, Map.of(), Map.of("model.layers.0.mlp",
                Map.of("kvDtype", 1))), null, null, 512, device(2)).of(ModuleKind.MLP, "model.layers.0.mlp", MLP));
        assertEquals("assembly: module model.layers.0.mlp (mlp): knob 'kvDtype' is one for the whole KV cache"
                + " (set it on the attention kind), expected F32, found BF16", mlp.getMessage());
        Assembly oneLayer = new Assembly(null, bf16.requirements(), Map.of("model.layers.3.self_attn", Map.of("kvDtype", 2)));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new ModuleConfigs(
                new ModuleConfig(4, 256).withKvDtype(DType.BF16), oneLayer, null, null, 512, device(2))
                .of(ModuleKind.ATTENTION, "model.layers.3.self_attn", MLP));
        assertEquals("assembly: module model.layers.3.self_attn (attention): knob 'kvDtype' is one for the whole KV cache"
                + " (set it on the attention kind), expected BF16, found F16", e.getMessage());
        KvCacheSpec kv = KvCacheSpec.forHeads(2, 2, 64, 32, 4, DType.F32);
        assertEquals(kv.byteSize() / 2, KvDtypes.holding(kv, DType.BF16).byteSize(), "half the bytes");
    }

    @Test
    void theShapeBucketIsTheContextRoundedUpToAPowerOfTwo() {
        assertEquals("ctx<=512", ModuleConfigs.shapeBucket(512));
        assertEquals("ctx<=512", ModuleConfigs.shapeBucket(300));
        assertEquals("ctx<=131072", ModuleConfigs.shapeBucket(131_072));
        assertEquals("ctx<=1", ModuleConfigs.shapeBucket(1));
    }
}
