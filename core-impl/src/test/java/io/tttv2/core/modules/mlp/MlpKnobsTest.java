package io.tttv2.core.modules.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.TestDevices;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A module's knobs change what it asks of the op library: the prefill chunk the rows of each matmul, the matmul
 * split what every matmul is split into — and not its result.
 */
class MlpKnobsTest {

    /** One matmul op as the module asked for it: matmul or matmulGroup, rows of x and the split per worker. */
    private record Call(String op, int rows, int split) {
        Call(int rows, int split) {
            this("matmul", rows, split);
        }
    }

    /** The CPU device, with every matmul recorded before it runs. */
    private static Device recording(List<Call> calls) {
        Device cpu = TestDevices.cpu();
        Ops ops = (Ops) Proxy.newProxyInstance(Ops.class.getClassLoader(), new Class<?>[] {Ops.class}, (p, m, args) -> {
            if (m.getName().equals("matmul") || m.getName().equals("matmulGroup")) {
                calls.add(new Call(m.getName(), ((Tensor) args[0]).dim(0), args.length == 5 ? (int) args[4] : 0));
            }
            try {
                return m.invoke(cpu.ops(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return new Device() {
            @Override
            public String name() {
                return cpu.name();
            }

            @Override
            public int parallelism() {
                return cpu.parallelism();
            }

            @Override
            public Ops ops() {
                return ops;
            }

            @Override
            public PagedKvCache allocateKvCache(KvCacheSpec spec) {
                return cpu.allocateKvCache(spec);
            }
        };
    }

    private static Tensor prefill(ModuleConfig config, List<Call> calls) {
        MlpSpec spec = new MlpSpec(64, 128, Activation.SILU, true, false);
        RandomTensors random = new RandomTensors(7, DType.BF16);
        Map<String, Tensor> w = Map.of("gate_proj.weight", random.matrix(128, 64), "up_proj.weight", random.matrix(128, 64),
                "down_proj.weight", random.matrix(64, 128));
        Mlp mlp = new GatedMlpFactory().create(spec, config, MapWeights.of(w), recording(calls));
        Tensor x = new RandomTensors(8, DType.F32).activation(10, 64);
        Tensor out = RandomTensors.zeros(10, 64);
        mlp.prefill(x, out);
        return out;
    }

    @Test
    void thePrefillChunkAndTheMatmulSplitReachEveryMatmulAndTheResultStays() {
        List<Call> defaults = new ArrayList<>();
        Tensor expected = prefill(new ModuleConfig(4, 512, 4), defaults);
        assertEquals(List.of(new Call(10, 4), new Call(10, 4), new Call(10, 4)), defaults, "one chunk: gate, up, down");

        List<Call> tuned = new ArrayList<>();
        Tensor out = prefill(new ModuleConfig(4, 4, 1), tuned);
        // chunks of 4, 4, 2 tokens, three matmuls each, split once per worker
        assertEquals(List.of(new Call(4, 1), new Call(4, 1), new Call(4, 1), new Call(4, 1), new Call(4, 1), new Call(4, 1),
                new Call(2, 1), new Call(2, 1), new Call(2, 1)), tuned);
        Compare.assertClose("tuned against default", io.tttv2.core.modules.testing.Reference.values(expected), out);
    }

    @Test
    void fusedProjectionsAreOneOpAndTheSameBitsAsSeparateMatmuls() {
        List<Call> fused = new ArrayList<>();
        Tensor a = prefill(new ModuleConfig(4, 512, 4).withFusedProjections(true), fused);
        List<Call> separate = new ArrayList<>();
        Tensor b = prefill(new ModuleConfig(4, 512, 4).withFusedProjections(false), separate);
        // bits compare only between calls at the same JIT tier (the vector API sums lanes in another order
        // interpreted than compiled): run both until compiled, then compare the last results
        for (int round = 0; round < 1500; round++) {
            a = prefill(new ModuleConfig(4, 512, 4).withFusedProjections(true), new ArrayList<>());
            b = prefill(new ModuleConfig(4, 512, 4).withFusedProjections(false), new ArrayList<>());
        }
        assertEquals(List.of(new Call("matmulGroup", 10, 4), new Call(10, 4)), fused);
        assertEquals(List.of(new Call(10, 4), new Call(10, 4), new Call(10, 4)), separate);
        org.junit.jupiter.api.Assertions.assertArrayEquals(io.tttv2.core.modules.testing.Reference.values(b),
                io.tttv2.core.modules.testing.Reference.values(a), 0.0);
    }
}
