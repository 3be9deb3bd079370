package io.tttv2.integration.generation.bench;

import io.tttv2.integration.generation.Sampler;
import io.tttv2.integration.generation.SamplingParams;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sampler's cost per token over a Llama 2 (32,000) and a Qwen 2 (151,936) vocabulary, for each way of
 * decoding. Logits are Gaussian with σ = 4: the top token holds a few per cent of the probability and the
 * top-p 0.9 nucleus thousands of tokens, flatter than most real next-token distributions (a pessimistic
 * case for top-p). One operation is one token, including the copy of the logits the sampler processes in
 * place (as the decode loop does).
 *
 * <p>Run by hand (not part of the build), from integration/generation after {@code mvn test-compile}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main SamplerBenchmark
 * </pre>
 * where cp.txt comes from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SamplerBenchmark {

    @Param({"32000", "151936"})
    public int vocab;

    /** greedy; top-k 50 (HF's default sampling); top-p 0.9 alone; everything at once. */
    @Param({"greedy", "top-k", "top-p", "all"})
    public String mode;

    private float[] logits;     // [vocab] the model's output, never modified
    private float[] scratch;    // [vocab] what the sampler processes
    private Sampler sampler;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (random.nextGaussian() * 4);
        }
        scratch = new float[vocab];
        SamplingParams.Builder params = SamplingParams.builder().seed(7);
        switch (mode) {
            case "greedy" -> { }
            case "top-k" -> params.doSample(true).temperature(0.8);
            case "top-p" -> params.doSample(true).topK(0).topP(0.9);
            case "all" -> params.doSample(true).temperature(0.7).topK(100).topP(0.9).minP(0.05).repetitionPenalty(1.1)
                    .presencePenalty(0.3).frequencyPenalty(0.2);
            default -> throw new IllegalArgumentException("mode " + mode);
        }
        sampler = new Sampler(params.build(), vocab);
        sampler.observePrompt(random.ints(512, 0, vocab).toArray());
    }

    @Benchmark
    public int sample() {
        System.arraycopy(logits, 0, scratch, 0, vocab);
        return sampler.sample(scratch);
    }
}
