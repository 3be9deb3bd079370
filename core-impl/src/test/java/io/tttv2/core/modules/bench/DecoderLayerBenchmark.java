package io.tttv2.core.modules.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.modules.attention.SdpaAttentionFactory;
import io.tttv2.core.modules.backend.SdpaAttentionBackendFactory;
import io.tttv2.core.modules.decoder.ResidualDecoderLayerFactory;
import io.tttv2.core.modules.mlp.GatedMlpFactory;
import io.tttv2.core.modules.norm.RmsNormFactory;
import io.tttv2.core.modules.rotary.RotaryEmbeddingFactory;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Llama-style pre-norm decoder layer built through the core factories, with BF16 weights: hidden
 * 1024, 16 heads over 4 kv heads of dim 64, intermediate 2816 (≈ 8.4 M weights, 16.8 MB). {@code decode}
 * is one step of {@code batch} sequences at position 256 (the step's keys rewrite the same slot each
 * time); {@code prefill} is 128 tokens of one sequence in one chunk. Run with {@code -prof gc} to see the
 * bytes allocated per step (the decode path is meant to allocate nothing).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DecoderLayerBenchmark {

    private static final int HIDDEN = 1024;
    private static final int HEADS = 16;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 64;
    private static final int INTERMEDIATE = 2816;
    private static final int CONTEXT = 256;
    private static final int PROMPT = 128;

    @Param({"1", "16"})
    public int batch;

    @Param({"2"})
    public int workers;

    private CpuDevice device;
    private PagedKvCache cache;
    private DecoderLayer layer;
    private DecodeStep step;
    private Tensor x;
    private Tensor out;
    private Tensor prompt;
    private Tensor promptOut;
    private PrefillStep prefillStep;

    @Setup(Level.Trial)
    public void setUp() {
        device = new CpuDevice(workers);
        RandomTensors random = new RandomTensors(1, DType.BF16);
        Map<String, Tensor> w = new HashMap<>();
        w.put("self_attn.q_proj.weight", random.matrix(HEADS * HEAD_DIM, HIDDEN));
        w.put("self_attn.k_proj.weight", random.matrix(KV_HEADS * HEAD_DIM, HIDDEN));
        w.put("self_attn.v_proj.weight", random.matrix(KV_HEADS * HEAD_DIM, HIDDEN));
        w.put("self_attn.o_proj.weight", random.matrix(HIDDEN, HEADS * HEAD_DIM));
        w.put("mlp.gate_proj.weight", random.matrix(INTERMEDIATE, HIDDEN));
        w.put("mlp.up_proj.weight", random.matrix(INTERMEDIATE, HIDDEN));
        w.put("mlp.down_proj.weight", random.matrix(HIDDEN, INTERMEDIATE));
        w.put("input_layernorm.weight", random.normScale(HIDDEN));
        w.put("post_attention_layernorm.weight", random.normScale(HIDDEN));
        Weights weights = MapWeights.of(w);
        ModuleConfig config = new ModuleConfig(16, PROMPT);
        Rotary rotary = new RotaryEmbeddingFactory().create(new RotarySpec(HEAD_DIM, HEAD_DIM,
                RopeScaling.unscaled(10000), 4096, RotaryStyle.HALF), device);
        DecoderLayerParts parts = new DecoderLayerParts(
                new RmsNormFactory().create(NormSpec.rms(HIDDEN, 1e-6f), weights.scoped("input_layernorm"), device),
                new SdpaAttentionFactory().create(AttentionSpec.of(HIDDEN, HEADS, KV_HEADS, HEAD_DIM), config,
                        weights.scoped("self_attn"), rotary, new SdpaAttentionBackendFactory().create(
                                AttentionBackendSpec.causal(AttentionSpec.of(HIDDEN, HEADS, KV_HEADS, HEAD_DIM)), config,
                                device), 0, device),
                new RmsNormFactory().create(NormSpec.rms(HIDDEN, 1e-6f), weights.scoped("post_attention_layernorm"),
                        device),
                null, null,
                new GatedMlpFactory().create(new MlpSpec(HIDDEN, INTERMEDIATE, Activation.SILU, true, false), config,
                        weights.scoped("mlp"), device));
        layer = new ResidualDecoderLayerFactory().create(
                new DecoderLayerSpec(HIDDEN, DecoderLayerSpec.ResidualPattern.PRE_NORM), config, parts, device);

        cache = device.allocateKvCache(KvCacheSpec.forHeads(1, KV_HEADS, HEAD_DIM, 32, 16 * (CONTEXT / 32 + 1) + 8,
                DType.F32));
        BlockTable[] tables = new BlockTable[batch];
        int[] positions = new int[batch];
        for (int b = 0; b < batch; b++) {
            tables[b] = cache.newSequence();
            tables[b].reserve(CONTEXT + 1);
            tables[b].setLength(CONTEXT);
            positions[b] = CONTEXT;
        }
        step = new DecodeStep(cache, tables, positions);
        x = random.activation(batch, HIDDEN);
        out = RandomTensors.zeros(batch, HIDDEN);
        BlockTable promptTable = cache.newSequence();
        promptTable.reserve(PROMPT);
        prefillStep = new PrefillStep(cache, promptTable, 0);
        prompt = random.activation(PROMPT, HIDDEN);
        promptOut = RandomTensors.zeros(PROMPT, HIDDEN);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        device.close();
    }

    @Benchmark
    public Tensor decode() {
        layer.decode(x, step, out);
        return out;
    }

    @Benchmark
    public Tensor prefill() {
        layer.prefill(prompt, prefillStep, promptOut);
        return promptOut;
    }
}
