package io.tttv2.integration.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each processor and warper against a distribution computed by hand, HF's order, and the draw itself. The
 * base case is four tokens with probabilities 0.1, 0.2, 0.3, 0.4 (logits their logarithms).
 */
class SamplerTest {

    private static final double EPS = 1e-6;

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static float[] base() {
        return logitsOf(0.1, 0.2, 0.3, 0.4);
    }

    private static SamplingParams.Builder sampling() {
        return SamplingParams.builder().doSample(true).topK(0).seed(7);
    }

    private static double[] distribution(SamplingParams params, float[] logits) {
        return new Sampler(params, logits.length).distribution(logits);
    }

    private static void assertDistribution(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], EPS, "token " + i + " of " + Arrays.toString(actual));
        }
    }

    @Test
    void plainSamplingIsTheSoftmax() {
        assertDistribution(new double[] {0.1, 0.2, 0.3, 0.4}, distribution(sampling().build(), base()));
    }

    @Test
    void greedyIsTheFirstLargestLogit() {
        SamplingParams greedy = SamplingParams.builder().build();
        assertEquals(2, new Sampler(greedy, 4).sample(new float[] {1, 2, 3, 3}));
        assertEquals(0, new Sampler(greedy, 3).sample(new float[] {5, 5, 5}));
    }

    @Test
    void temperatureZeroIsGreedyEvenWhenSampling() {
        SamplingParams zero = sampling().temperature(0).build();
        assertTrue(zero.greedy());
        assertDistribution(new double[] {0, 0, 0, 1}, distribution(zero, base()));
    }

    @Test
    void temperatureSharpensAndFlattens() {
        // T = 0.5: p^2 normalised; T = 2: sqrt(p) normalised
        double[] squared = {0.01 / 0.30, 0.04 / 0.30, 0.09 / 0.30, 0.16 / 0.30};
        assertDistribution(squared, distribution(sampling().temperature(0.5).build(), base()));
        double z = Math.sqrt(0.1) + Math.sqrt(0.2) + Math.sqrt(0.3) + Math.sqrt(0.4);
        double[] roots = {Math.sqrt(0.1) / z, Math.sqrt(0.2) / z, Math.sqrt(0.3) / z, Math.sqrt(0.4) / z};
        assertDistribution(roots, distribution(sampling().temperature(2).build(), base()));
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertDistribution(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, distribution(sampling().topK(2).build(), base()));
        assertDistribution(new double[] {0, 0, 0, 1}, distribution(sampling().topK(1).build(), base()));
    }

    @Test
    void topKKeepsTiesWithTheKthLogit() {
        // 0.4, 0.2, 0.2, 0.2: the 2nd largest is 0.2, so HF keeps all three 0.2s
        float[] logits = logitsOf(0.4, 0.2, 0.2, 0.2);
        assertDistribution(new double[] {0.4, 0.2, 0.2, 0.2}, distribution(sampling().topK(2).build(), logits));
    }

    @Test
    void topKDefaultsToFiftyAsInHuggingFace() {
        float[] logits = new float[100];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = i;
        }
        double[] p = distribution(SamplingParams.builder().doSample(true).build(), logits);
        assertEquals(50, Arrays.stream(p).filter(x -> x > 0).count());
        assertEquals(0, p[49]);
        assertTrue(p[50] > 0);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // sorted 0.4, 0.3, 0.2, 0.1: mass above 0.3 is 0.4 < 0.5 (kept), above 0.2 is 0.7 (dropped)
        assertDistribution(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, distribution(sampling().topP(0.5).build(), base()));
        // 0.75: above 0.2 is 0.7 < 0.75, kept; above 0.1 is 0.9, dropped
        assertDistribution(new double[] {0, 2 / 9.0, 3 / 9.0, 4 / 9.0}, distribution(sampling().topP(0.75).build(), base()));
        // a tiny p still keeps the most likely token
        assertDistribution(new double[] {0, 0, 0, 1}, distribution(sampling().topP(0.01).build(), base()));
    }

    @Test
    void topPOverALargeVocabularyWidensItsWindow() {
        // 1000 equally likely tokens: p = 0.5 keeps exactly 500 of them (more than the first window of 64)
        float[] logits = new float[1000];
        double[] p = distribution(sampling().topP(0.5).build(), logits);
        assertEquals(500, Arrays.stream(p).filter(x -> x > 0).count());
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-9);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTop() {
        // top 0.4: min-p 0.6 keeps p >= 0.24
        assertDistribution(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, distribution(sampling().minP(0.6).build(), base()));
        // min-p 0.2 keeps p >= 0.08: all
        assertDistribution(new double[] {0.1, 0.2, 0.3, 0.4}, distribution(sampling().minP(0.2).build(), base()));
    }

    @Test
    void warpersRunInHuggingFacesOrderTemperatureBeforeTopP() {
        // T = 0.5 first gives 1/30, 4/30, 9/30, 16/30; top-p 0.5 then keeps only 16/30 (above 9/30 lies 16/30 >= 0.5).
        // Top-p first would keep 0.4 and 0.3 and end with 16/25, 9/25.
        assertDistribution(new double[] {0, 0, 0, 1}, distribution(sampling().temperature(0.5).topP(0.5).build(), base()));
    }

    @Test
    void warpersRunInHuggingFacesOrderTopKBeforeTopP() {
        // top-k 3 leaves 0.2, 0.3, 0.4 renormalised to 2/9, 3/9, 4/9; top-p 0.5 then keeps 4/9 and 3/9 (above: 4/9 < 0.5)
        assertDistribution(new double[] {0, 0, 3 / 7.0, 4 / 7.0},
                distribution(sampling().topK(3).topP(0.5).build(), base()));
        // top-k 3 then top-p 0.4: above 3/9 lies 4/9 >= 0.4, so only 4/9
        assertDistribution(new double[] {0, 0, 0, 1}, distribution(sampling().topK(3).topP(0.4).build(), base()));
    }

    @Test
    void minPRunsAfterTopP() {
        // top-p 0.75 keeps 0.2, 0.3, 0.4 → 2/9, 3/9, 4/9; min-p 0.6 of 4/9 drops 2/9 (< 0.267)
        assertDistribution(new double[] {0, 0, 3 / 7.0, 4 / 7.0},
                distribution(sampling().topP(0.75).minP(0.6).build(), base()));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        Sampler sampler = new Sampler(SamplingParams.builder().repetitionPenalty(2).build(), 5);
        sampler.observePrompt(new int[] {0, 1, 1});
        float[] logits = {2f, -2f, 1.5f, 0.5f, -1f};
        int token = sampler.sample(logits);
        assertArrayEquals(new float[] {1f, -4f, 1.5f, 0.5f, -1f}, logits);
        assertEquals(2, token, "greedy after the penalty");
        // the generated token counts as seen from now on
        float[] next = {2f, -2f, 1.5f, 0.5f, -1f};
        sampler.sample(next);
        assertArrayEquals(new float[] {1f, -4f, 0.75f, 0.5f, -1f}, next);
    }

    @Test
    void repetitionPenaltyChangesTheSampledDistribution() {
        Sampler sampler = new Sampler(sampling().repetitionPenalty(2).build(), 4);
        sampler.observePrompt(new int[] {3});
        float[] logits = {0f, 0f, 0f, 2f};    // token 3's logit halves to 1
        double z = 3 + Math.E;
        assertDistribution(new double[] {1 / z, 1 / z, 1 / z, Math.E / z}, sampler.distribution(logits));
    }

    @Test
    void presenceAndFrequencyPenaltiesCountGeneratedTokensOnly() {
        Sampler sampler = new Sampler(SamplingParams.builder().presencePenalty(0.5).frequencyPenalty(0.25).build(), 4);
        sampler.observePrompt(new int[] {0});               // the prompt is not penalised by these
        assertEquals(2, sampler.sample(new float[] {0f, 0f, 3f, 0f}));
        assertEquals(2, sampler.sample(new float[] {0f, 0f, 3f, 0f}));
        float[] logits = {1f, 1f, 3f, 1f};
        sampler.sample(logits);
        // token 2 was generated twice: 3 - (0.5 + 2 × 0.25)
        assertArrayEquals(new float[] {1f, 1f, 2f, 1f}, logits);
    }

    @Test
    void negativePresencePenaltyEncouragesRepeats() {
        Sampler sampler = new Sampler(SamplingParams.builder().presencePenalty(-2).build(), 3);
        assertEquals(1, sampler.sample(new float[] {0f, 1f, 0f}));
        float[] logits = {2f, 1f, 0f};
        assertEquals(1, sampler.sample(logits), "1 + 2 beats 2");
    }

    @Test
    void drawsFollowTheDistribution() {
        Sampler sampler = new Sampler(sampling().build(), 4);
        int[] counts = new int[4];
        int draws = 40_000;
        float[] logits = new float[4];
        for (int i = 0; i < draws; i++) {
            System.arraycopy(base(), 0, logits, 0, 4);
            counts[sampler.sample(logits)]++;
        }
        double[] expected = {0.1, 0.2, 0.3, 0.4};
        for (int t = 0; t < 4; t++) {
            // standard error at p = 0.4 is 0.0024; 0.012 is five of them
            assertEquals(expected[t], counts[t] / (double) draws, 0.012, "token " + t + ": " + Arrays.toString(counts));
        }
    }

    @Test
    void drawsNeverPickAFilteredToken() {
        Sampler sampler = new Sampler(sampling().topK(2).build(), 4);
        float[] logits = new float[4];
        for (int i = 0; i < 5_000; i++) {
            System.arraycopy(base(), 0, logits, 0, 4);
            int token = sampler.sample(logits);
            assertTrue(token == 2 || token == 3, "drew filtered token " + token);
        }
    }

    @Test
    void theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        float[] logits = new float[64];
        SplittableRandom values = new SplittableRandom(1);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) values.nextGaussian();
        }
        int[] first = draws(sampling().seed(42).build(), logits);
        int[] again = draws(sampling().seed(42).build(), logits);
        int[] other = draws(sampling().seed(43).build(), logits);
        assertArrayEquals(first, again);
        assertNotEquals(Arrays.toString(first), Arrays.toString(other));
        assertEquals(42, new Sampler(sampling().seed(42).build(), 4).seed());
    }

    private static int[] draws(SamplingParams params, float[] logits) {
        Sampler sampler = new Sampler(params, logits.length);
        int[] out = new int[50];
        for (int i = 0; i < out.length; i++) {
            out[i] = sampler.sample(logits.clone());
        }
        return out;
    }

    @Test
    void samplingAllocatesNothingPerToken() {
        int vocab = 32_000;
        Sampler sampler = new Sampler(sampling().temperature(0.8).topK(40).topP(0.9).minP(0.05)
                .repetitionPenalty(1.1).presencePenalty(0.2).frequencyPenalty(0.1).build(), vocab);
        float[] template = new float[vocab];
        SplittableRandom values = new SplittableRandom(3);
        for (int i = 0; i < vocab; i++) {
            template[i] = (float) values.nextGaussian() * 3;
        }
        float[] logits = new float[vocab];
        for (int i = 0; i < 200; i++) {      // warm up, and let the penalties' token lists fill
            System.arraycopy(template, 0, logits, 0, vocab);
            sampler.sample(logits);
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        int steps = 500;
        for (int i = 0; i < steps; i++) {
            System.arraycopy(template, 0, logits, 0, vocab);
            sampler.sample(logits);
        }
        long perStep = (threads.getThreadAllocatedBytes(id) - before) / steps;
        assertTrue(perStep < 64, "sampling allocated " + perStep + " bytes per token");
    }
}
