package io.tttv2.core.modules.decoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.attention.SdpaAttentionFactory;
import io.tttv2.core.modules.backend.SdpaAttentionBackendFactory;
import io.tttv2.core.modules.embedding.TokenEmbeddingFactory;
import io.tttv2.core.modules.lmhead.LinearLmHeadFactory;
import io.tttv2.core.modules.mlp.GatedMlpFactory;
import io.tttv2.core.modules.norm.RmsNormFactory;
import io.tttv2.core.modules.rotary.RotaryEmbeddingFactory;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.NoOpDevice;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Sequences;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The modules' own decode path allocates nothing once warm: a decoder layer (with q/k norm), the
 * embedding and the LM head, on a device whose ops do nothing, allocate less than one byte per step on
 * average over many steps (a single per-step object would cost at least 16).
 */
class DecodeAllocationTest {

    private static final int STEPS = 20_000;

    @org.junit.jupiter.params.ParameterizedTest(name = "fusedProjections={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void decodeStepsAllocateNothingInTheModules(boolean fused) {
        Device device = new NoOpDevice();
        RandomTensors random = new RandomTensors(71, DType.F32);
        Map<String, Tensor> w = new HashMap<>();
        w.put("self_attn.q_proj.weight", random.matrix(64, 64));
        w.put("self_attn.k_proj.weight", random.matrix(32, 64));
        w.put("self_attn.v_proj.weight", random.matrix(32, 64));
        w.put("self_attn.o_proj.weight", random.matrix(64, 64));
        w.put("self_attn.q_norm.weight", random.normScale(16));
        w.put("self_attn.k_norm.weight", random.normScale(16));
        w.put("mlp.gate_proj.weight", random.matrix(96, 64));
        w.put("mlp.up_proj.weight", random.matrix(96, 64));
        w.put("mlp.down_proj.weight", random.matrix(64, 96));
        w.put("norm.weight", random.normScale(64));
        w.put("embed.weight", random.matrix(50, 64));
        Weights weights = MapWeights.of(w);
        ModuleConfig config = new ModuleConfig(4, 8).withFusedProjections(fused);
        Rotary rotary = new RotaryEmbeddingFactory().create(new RotarySpec(16, 16, RopeScaling.unscaled(10000), 64,
                RotaryStyle.HALF), device);
        AttentionSpec spec = new AttentionSpec(64, 4, 2, 16, false, false, AttentionSpec.QkNorm.PER_HEAD,
                NormSpec.rms(16, 1e-6f), 0, 0f, 0.25f);
        Norm norm = new RmsNormFactory().create(NormSpec.rms(64, 1e-6f), weights.scoped("norm"), device);
        DecoderLayerParts parts = new DecoderLayerParts(norm,
                new SdpaAttentionFactory().create(spec, config, weights.scoped("self_attn"), rotary,
                        new SdpaAttentionBackendFactory().create(AttentionBackendSpec.causal(spec), config, device), 0,
                        device),
                norm, norm, norm,
                new GatedMlpFactory().create(new MlpSpec(64, 96, Activation.SILU, true, false), config,
                        weights.scoped("mlp"), device));
        DecoderLayer sandwich = new ResidualDecoderLayerFactory().create(
                new DecoderLayerSpec(64, DecoderLayerSpec.ResidualPattern.PRE_AND_POST_NORM), config, parts, device);
        Embedding embedding = new TokenEmbeddingFactory().create(new EmbeddingSpec(50, 64, 8f), weights.scoped("embed"),
                device);
        LmHead head = new LinearLmHeadFactory().create(new LmHeadSpec(64, 50, 30f), config, weights.scoped("embed"),
                device);

        Sequences seqs = new Sequences(device, 1, 2, 16);
        BlockTable[] tables = {seqs.newSequence(), seqs.newSequence(), seqs.newSequence()};
        DecodeStep step = seqs.decode(tables);
        int[] ids = {1, 2, 3};
        Tensor x = RandomTensors.zeros(3, 64);
        Tensor logits = RandomTensors.zeros(3, 50);
        Runnable decode = () -> {
            embedding.decode(ids, x);
            sandwich.decode(x, step, x);
            head.decode(x, logits);
        };
        for (int i = 0; i < STEPS; i++) {
            decode.run();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < STEPS; i++) {
            decode.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < STEPS, allocated + " bytes allocated over " + STEPS + " decode steps");
    }
}
