package io.tttv2.testing.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.TinyModel;
import io.tttv2.testing.profile.ProfileRegistry;
import io.tttv2.testing.profile.ProfilingFactoryDecorator;
import io.tttv2.testing.validation.ValidatingFactoryDecorator;
import io.tttv2.testing.validation.ValidationRegistry;
import java.lang.foreign.Arena;
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
 * One decode step of a model of kjv-tiny's dimensions (6 layers, hidden 256, 8 heads over 4 KV heads, SwiGLU
 * 704, vocabulary 4096; random F32 weights) at position 32, built from core-impl's factories:
 * {@code undecorated} as they are, {@code validation-off} passed through the testing bundle's decorator
 * with the registry disabled (the host's path when {@code --validate} is not given), {@code validation-on}
 * with it enabled (every module also runs its float64 reference), for scale; {@code profiling-off} and
 * {@code profiling-on} the same through the profiling decorator ({@code --profile}: off, the modules are the
 * implementations; on, every call is timed and costed through a proxy).
 *
 * <p>Run: {@code java -cp <test class path> org.openjdk.jmh.Main DecodeOverheadBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC"})
public class DecodeOverheadBenchmark {

    private static final int PROMPT = 32;

    @Param({"undecorated", "validation-off", "validation-on", "profiling-off", "profiling-on"})
    public String factories;

    private CpuDevice device;
    private ValidationRegistry registry;
    private ProfileRegistry profiles;
    private TinyModel model;
    private PagedKvCache cache;
    private BlockTable[] tables;
    private final int[] tokens = {17};
    private final int[] positions = new int[1];
    private Tensor x;
    private Tensor logits;

    @Setup(Level.Trial)
    public void build() {
        device = new CpuDevice(2);
        registry = new ValidationRegistry();
        if (factories.equals("validation-on")) {
            registry.enable();
        }
        profiles = new ProfileRegistry();
        if (factories.equals("profiling-on")) {
            profiles.enable();
        }
        Factories core = Factories.core();
        Factories f = switch (factories) {
            case "undecorated" -> core;
            case "profiling-off", "profiling-on" -> core.decoratedBy(new ProfilingFactoryDecorator(profiles));
            default -> core.decoratedBy(new ValidatingFactoryDecorator(registry));
        };
        model = new TinyModel(f, device, TinyModel.KJV_TINY);
        cache = model.newCache(16);
        int[] prompt = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            prompt[i] = (i * 7919 + 13) % TinyModel.KJV_TINY.vocab();
        }
        tables = new BlockTable[] {model.prefill(cache, prompt)};
        x = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, TinyModel.KJV_TINY.hidden());
        logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, TinyModel.KJV_TINY.vocab());
    }

    @Benchmark
    public Tensor decodeStep() {
        model.decode(cache, tables, tokens, positions, x, logits);
        tables[0].setLength(PROMPT);          // every step decodes position 32 again: the same work each time
        return logits;
    }

    @TearDown(Level.Iteration)
    public void forgetRecords() {
        registry.clear();                     // validation-on: keep memory flat across iterations
        profiles.clear();
    }

    @TearDown(Level.Trial)
    public void close() {
        cache.close();
        device.close();
    }
}
