package io.tttv2.core.modules.bench;

import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Moe;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.modules.moe.SparseMoeFactory;
import io.tttv2.core.modules.moe.TopKRouterFactory;
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
 * One decode step (one token) of a mixture-of-experts layer built through the core factories, BF16 weights:
 * hidden 1024, experts of intermediate 512 (3 MB each), softmax top-k routing. The step should cost about
 * topK experts' weights, whatever the number of experts: compare 8 and 64 experts at one top-k (only the
 * router's [experts, hidden] matmul grows with the expert count), and top-k 1, 2, 4 at one expert count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MoeDecodeBenchmark {

    private static final int HIDDEN = 1024;
    private static final int INTERMEDIATE = 512;

    @Param({"8", "64"})
    public int experts;

    @Param({"1", "2", "4"})
    public int topK;

    @Param({"2"})
    public int workers;

    private CpuDevice device;
    private Moe moe;
    private Tensor x;
    private Tensor out;

    @Setup(Level.Trial)
    public void setUp() {
        device = new CpuDevice(workers);
        RandomTensors random = new RandomTensors(7, DType.BF16);
        Map<String, Tensor> w = new HashMap<>();
        w.put("gate.weight", random.matrix(experts, HIDDEN));
        for (int e = 0; e < experts; e++) {
            w.put("experts." + e + ".gate_proj.weight", random.matrix(INTERMEDIATE, HIDDEN));
            w.put("experts." + e + ".up_proj.weight", random.matrix(INTERMEDIATE, HIDDEN));
            w.put("experts." + e + ".down_proj.weight", random.matrix(HIDDEN, INTERMEDIATE));
        }
        Weights weights = MapWeights.of(w);
        ModuleConfig config = new ModuleConfig(16, 128);
        MoeSpec spec = new MoeSpec(RouterSpec.softmax(HIDDEN, experts, topK, true),
                new MlpSpec(HIDDEN, INTERMEDIATE, Activation.SILU, true, false), null, false);
        moe = new SparseMoeFactory().create(spec, config, weights,
                new TopKRouterFactory().create(spec.router(), config, weights.scoped("gate"), device), null, device);
        x = random.activation(1, HIDDEN);
        out = RandomTensors.zeros(1, HIDDEN);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public Tensor decode() {
        moe.decode(x, out);
        return out;
    }
}
