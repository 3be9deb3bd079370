package io.tttv2.core.modules.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Moe;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.RouterSpec.Scoring;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.mlp.GatedMlpFactory;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.TestDevices;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The router and the sparse MoE block against a dense float64 reference that runs every expert on every token
 * and weights each by its routing weight (0 for experts not picked): Mixtral's, Qwen2-MoE's and DeepSeek-V3's
 * routing, prefill in chunks and decode, F32 and BF16 weights.
 */
class MoeTest {

    private static final int TOKENS = 9;

    private final Device device = TestDevices.cpu();

    private static Map<String, Tensor> weights(RandomTensors random, MoeSpec spec) {
        Map<String, Tensor> w = new HashMap<>();
        int h = spec.hidden();
        int e = spec.experts();
        w.put("gate.weight", random.weight(0, 0.5, e, h));
        if (spec.router().correctionBias()) {
            w.put("gate.e_score_correction_bias", random.weight(0, 0.05, e));
        }
        for (int i = 0; i < e; i++) {
            expert(random, w, "experts." + i + ".", spec.expert());
        }
        if (spec.shared() != null) {
            expert(random, w, "shared_expert.", spec.shared());
        }
        if (spec.sharedGate()) {
            w.put("shared_expert_gate.weight", random.matrix(1, h));
        }
        return w;
    }

    private static void expert(RandomTensors random, Map<String, Tensor> w, String prefix, MlpSpec m) {
        w.put(prefix + "gate_proj.weight", random.matrix(m.intermediate(), m.hidden()));
        w.put(prefix + "up_proj.weight", random.matrix(m.intermediate(), m.hidden()));
        w.put(prefix + "down_proj.weight", random.matrix(m.hidden(), m.intermediate()));
    }

    /** Dense routing weights [n, E] in float64: the weight of each expert for each token, 0 if not picked. */
    static double[] routing(RouterSpec spec, Map<String, Tensor> w, double[] x, int n) {
        int e = spec.experts();
        double[] logits = Reference.linear(x, n, w.get("gate.weight"), null);
        Tensor biasTensor = w.get("gate.e_score_correction_bias");
        double[] bias = biasTensor == null ? new double[e] : Reference.values(biasTensor);
        double[] dense = new double[n * e];
        for (int t = 0; t < n; t++) {
            double[] s = new double[e];
            double[] c = new double[e];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < e; i++) {
                max = Math.max(max, logits[t * e + i]);
            }
            double sum = 0;
            for (int i = 0; i < e; i++) {
                double l = logits[t * e + i];
                s[i] = spec.scoring() == Scoring.SIGMOID ? 1 / (1 + Math.exp(-l)) : Math.exp(l - max);
                sum += s[i];
            }
            for (int i = 0; i < e; i++) {
                if (spec.scoring() == Scoring.SOFTMAX) {
                    s[i] /= sum;
                }
                c[i] = s[i] + bias[i];
            }
            int size = spec.groupSize();
            double[] groupScore = new double[spec.groups()];
            for (int g = 0; g < spec.groups(); g++) {
                double[] members = Arrays.copyOfRange(c, g * size, (g + 1) * size);
                Arrays.sort(members);
                groupScore[g] = members[size - 1] + (size > 1 ? members[size - 2] : 0);
            }
            int[] keptGroups = largest(groupScore, spec.topKGroups());
            for (int g = 0; g < spec.groups(); g++) {
                final int group = g;
                if (Arrays.stream(keptGroups).noneMatch(k -> k == group)) {
                    Arrays.fill(c, g * size, (g + 1) * size, 0);
                }
            }
            int[] picked = largest(c, spec.topK());
            double total = 0;
            for (int p : picked) {
                total += s[p];
            }
            for (int p : picked) {
                dense[t * e + p] = (spec.normalize() ? s[p] / total : s[p]) * spec.scalingFactor();
            }
        }
        return dense;
    }

    /** Indices of the k largest values, ties to the lower index. */
    private static int[] largest(double[] v, int k) {
        return java.util.stream.IntStream.range(0, v.length).boxed()
                .sorted((a, b) -> v[a] != v[b] ? Double.compare(v[b], v[a]) : Integer.compare(a, b))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static double[] reference(MoeSpec spec, Map<String, Tensor> w, double[] x, int n) {
        int h = spec.hidden();
        int e = spec.experts();
        double[] route = routing(spec.router(), w, x, n);
        double[] y = new double[n * h];
        for (int i = 0; i < e; i++) {
            String p = "experts." + i + ".";
            double[] out = Reference.mlp(x, n, "silu", w.get(p + "gate_proj.weight"), null, w.get(p + "up_proj.weight"),
                    null, w.get(p + "down_proj.weight"), null);
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < h; j++) {
                    y[t * h + j] += route[t * e + i] * out[t * h + j];
                }
            }
        }
        if (spec.shared() != null) {
            double[] out = Reference.mlp(x, n, "silu", w.get("shared_expert.gate_proj.weight"), null,
                    w.get("shared_expert.up_proj.weight"), null, w.get("shared_expert.down_proj.weight"), null);
            double[] gate = spec.sharedGate() ? Reference.linear(x, n, w.get("shared_expert_gate.weight"), null) : null;
            for (int t = 0; t < n; t++) {
                double g = gate == null ? 1 : 1 / (1 + Math.exp(-gate[t]));
                for (int j = 0; j < h; j++) {
                    y[t * h + j] += g * out[t * h + j];
                }
            }
        }
        return y;
    }

    private Moe build(MoeSpec spec, Map<String, Tensor> w, ModuleConfig config) {
        MapWeights weights = MapWeights.of(w);
        Router router = new TopKRouterFactory().create(spec.router(), config, weights.scoped("gate"), device);
        Mlp shared = spec.shared() == null ? null
                : new GatedMlpFactory().create(spec.shared(), config, weights.scoped("shared_expert"), device);
        return new SparseMoeFactory().create(spec, config, weights, router, shared, device);
    }

    private void check(MoeSpec spec, DType dtype, long seed) {
        RandomTensors random = new RandomTensors(seed, dtype);
        Map<String, Tensor> w = weights(random, spec);
        Moe moe = build(spec, w, new ModuleConfig(4, 4));       // prefill in chunks of 4, 4, 1
        Tensor x = random.activation(TOKENS, spec.hidden());
        double[] expected = reference(spec, w, Reference.values(x), TOKENS);
        Tensor out = RandomTensors.zeros(TOKENS, spec.hidden());
        moe.prefill(x, out);
        double pcc = dtype == DType.F32 ? Compare.PCC_F32 : Compare.PCC_BF16;
        Compare.assertClose(spec + " prefill " + dtype, expected, out, pcc);
        Tensor decoded = RandomTensors.zeros(3, spec.hidden());
        moe.decode(x.slice(0, 5, 3), decoded);
        Compare.assertClose(spec + " decode " + dtype, Reference.rows(expected, spec.hidden(), 5, 3), decoded, pcc);
        Tensor one = RandomTensors.zeros(1, spec.hidden());
        moe.decode(x.slice(0, 8, 1), one);
        Compare.assertClose(spec + " decode one " + dtype, Reference.rows(expected, spec.hidden(), 8, 1), one, pcc);

        // each token counted once per picked expert, where the reference routes it
        double[] route = routing(spec.router(), w, Reference.values(x), TOKENS);
        long[] counts = new long[spec.experts()];
        for (int t : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 5, 6, 7, 8}) {
            for (int e = 0; e < spec.experts(); e++) {
                counts[e] += route[t * spec.experts() + e] != 0 ? 1 : 0;
            }
        }
        assertArrayEquals(counts, moe.tokensPerExpert());
        assertEquals(13L * spec.router().topK(), Arrays.stream(moe.tokensPerExpert()).sum());
    }

    private static MlpSpec expert(int hidden, int intermediate) {
        return new MlpSpec(hidden, intermediate, Activation.SILU, true, false);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void mixtralRoutingMatchesReference(DType dtype) {
        check(new MoeSpec(RouterSpec.softmax(32, 8, 2, true), expert(32, 48), null, false), dtype, 41);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void qwen2MoeWithGatedSharedExpertMatchesReference(DType dtype) {
        check(new MoeSpec(RouterSpec.softmax(32, 6, 3, false), expert(32, 16), expert(32, 40), true), dtype, 42);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void deepseekGroupedSigmoidRoutingWithSharedExpertMatchesReference(DType dtype) {
        RouterSpec router = new RouterSpec(32, 16, 3, Scoring.SIGMOID, true, 4, 2, true, 2.5f);
        check(new MoeSpec(router, expert(32, 16), expert(32, 32), false), dtype, 43);
    }

    @Test
    void topOneOfOneExpertIsTheExpertItself() {
        check(new MoeSpec(RouterSpec.softmax(16, 1, 1, false), expert(16, 24), null, false), DType.F32, 44);
    }

    @Test
    void routerPicksWhatTheReferencePicks() {
        RouterSpec spec = new RouterSpec(24, 12, 4, Scoring.SIGMOID, false, 3, 2, true, 1f);
        RandomTensors random = new RandomTensors(45, DType.F32);
        Map<String, Tensor> w = weights(random, new MoeSpec(spec, expert(24, 8), null, false));
        Router router = new TopKRouterFactory().create(spec, new ModuleConfig(2, 5), MapWeights.of(w).scoped("gate"),
                device);
        Tensor x = random.activation(11, 24);
        int[] experts = new int[11 * 4];
        float[] weights = new float[11 * 4];
        router.route(x, experts, weights);
        double[] expected = routing(spec, w, Reference.values(x), 11);
        double[] dense = new double[11 * 12];
        for (int j = 0; j < experts.length; j++) {
            int t = j / 4;
            assertEquals(0.0, dense[t * 12 + experts[j]], "token " + t + " picks expert " + experts[j] + " once");
            dense[t * 12 + experts[j]] = weights[j];
        }
        for (int i = 0; i < dense.length; i++) {
            assertEquals(expected[i], dense[i], 1e-6, "routing weight " + (i / 12) + "," + (i % 12));
        }
        // a group dropped: picks only come from the two kept groups of four
        for (int t = 0; t < 11; t++) {
            long groups = Arrays.stream(experts, t * 4, t * 4 + 4).map(e -> e / 4).distinct().count();
            assertTrue(groups <= 2, "token " + t + " picks from " + groups + " groups");
        }
    }

    /**
     * Only the picked experts' weights are read: the experts the router cannot pick live in memory that is freed
     * once the block is built (reading it would throw), and prefill and decode still give the same output as a
     * block over live weights.
     */
    @Test
    void onlyThePickedExpertsWeightsAreRead() {
        int h = 16;
        MoeSpec spec = new MoeSpec(RouterSpec.softmax(h, 6, 2, true), expert(h, 8), null, false);
        RandomTensors random = new RandomTensors(47, DType.F32);
        Map<String, Tensor> w = weights(random, spec);
        Tensor x = random.activation(5, h);
        // x positive and gate rows ±(e + 1)·0.1: expert e's logit is ±(e + 1)·0.1·Σx_t, positive for experts 2 and 5
        // only, so every token picks those two
        for (int t = 0; t < 5; t++) {
            for (int i = 0; i < h; i++) {
                x.setFloat(Math.abs(x.getFloat(t, i)) + 0.1f, t, i);
            }
        }
        float[] gate = new float[6 * h];
        for (int e = 0; e < 6; e++) {
            for (int i = 0; i < h; i++) {
                gate[e * h + i] = (e == 2 || e == 5 ? 1f : -1f) * (e + 1) * 0.1f;
            }
        }
        w.put("gate.weight", Tensor.of(gate, 6, h));
        Map<String, Tensor> freed = new HashMap<>(w);
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        for (int e : new int[] {0, 1, 3, 4}) {
            for (String p : new String[] {"gate_proj", "up_proj", "down_proj"}) {
                String name = "experts." + e + "." + p + ".weight";
                Tensor live = w.get(name);
                Tensor copy = Tensor.allocate(arena, DType.F32, live.shape());
                copy.copyFrom(live.toFloatArray());
                freed.put(name, copy);
            }
        }
        Moe sparse = build(spec, freed, new ModuleConfig(2, 3));
        arena.close();
        Moe reference = build(spec, w, new ModuleConfig(2, 3));
        Tensor out = RandomTensors.zeros(5, h);
        Tensor expected = RandomTensors.zeros(5, h);
        sparse.prefill(x, out);
        reference.prefill(x, expected);
        // within rounding, not bitwise: the two blocks' workers may split rows differently on a loaded machine
        assertArrayEquals(expected.toFloatArray(), out.toFloatArray(), 1e-6f);
        Tensor one = RandomTensors.zeros(1, h);
        sparse.decode(x.slice(0, 4, 1), one);
        assertArrayEquals(expected.slice(0, 4, 1).toFloatArray(), one.toFloatArray(), 1e-6f);
        assertArrayEquals(new long[] {0, 0, 6, 0, 0, 6}, sparse.tokensPerExpert());
        // and reading a freed expert does throw: the test can fail
        assertThrows(IllegalStateException.class, () -> freed.get("experts.0.up_proj.weight").toFloatArray());
    }

    @Test
    void inconsistentRoutingNumbersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RouterSpec.softmax(8, 4, 5, true));
        assertThrows(IllegalArgumentException.class, () -> new RouterSpec(8, 10, 2, Scoring.SIGMOID, true, 4, 1, false, 1f));
        assertThrows(IllegalArgumentException.class, () -> new RouterSpec(8, 8, 2, Scoring.SIGMOID, true, 4, 5, false, 1f));
        assertThrows(IllegalArgumentException.class, () -> new RouterSpec(8, 8, 5, Scoring.SIGMOID, true, 4, 2, false, 1f));
    }

    @Test
    void aMissingExpertIsNamed() {
        MoeSpec spec = new MoeSpec(RouterSpec.softmax(16, 3, 2, true), expert(16, 8), null, false);
        Map<String, Tensor> w = weights(new RandomTensors(46, DType.F32), spec);
        w.remove("experts.2.down_proj.weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(spec, w, ModuleConfig.defaults()));
        assertTrue(e.getMessage().contains("experts.2.down_proj.weight"), e.getMessage());
    }
}
