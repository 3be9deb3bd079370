package io.tttv2.integration.generation;

import java.util.SplittableRandom;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Picks one sequence's next token from its logits, as HuggingFace's {@code generate} does: repetition penalty
 * (and OpenAI's presence and frequency penalties), then — when sampling — temperature, top-k, top-p and
 * min-p, then a draw from what remains. Greedy decoding is the argmax after the penalties (the first of equal
 * maxima, as {@code torch.argmax}).
 *
 * <p>One instance per sequence: it remembers the tokens seen (for the penalties) and owns a
 * {@link SplittableRandom} seeded from {@link SamplingParams#seed()}, so the same seed, prompt and model give
 * the same output. Buffers of the vocabulary's size are allocated once; {@link #sample} allocates nothing.
 */
@ProviderType
public final class Sampler {

    private final SamplingParams params;
    private final int vocabSize;
    private final long seed;
    private final SplittableRandom random;
    private final TokenHistory history;
    private final int[] candidates;   // [vocab] token ids still in the running, first `count` used
    private final double[] weights;   // [vocab] exp(logit - max) of candidates[i], for top-p and the draw
    private boolean weightsReady;     // whether weights[0, count) hold the current candidates' weights
    private final float repetitionPenalty;
    private final float presencePenalty;
    private final float frequencyPenalty;
    private final float temperature;

    /** A sampler with a random seed if {@code params} gives none. */
    public Sampler(SamplingParams params, int vocabSize) {
        this(params, vocabSize, params.seed().orElseGet(() -> new SplittableRandom().nextLong()));
    }

    private Sampler(SamplingParams params, int vocabSize, long seed) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + ", expected > 0");
        }
        this.params = params;
        this.vocabSize = vocabSize;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.history = new TokenHistory(vocabSize);
        this.candidates = new int[vocabSize];
        this.weights = new double[vocabSize];
        this.repetitionPenalty = (float) params.repetitionPenalty();
        this.presencePenalty = (float) params.presencePenalty();
        this.frequencyPenalty = (float) params.frequencyPenalty();
        this.temperature = (float) params.temperature();
    }

    /** The seed of this sequence's random generator (given, or drawn when none was). */
    public long seed() {
        return seed;
    }

    public SamplingParams params() {
        return params;
    }

    /** Records prompt tokens, which the repetition penalty counts as seen. */
    public void observePrompt(int[] promptIds) {
        for (int id : promptIds) {
            history.addPrompt(id);
        }
    }

    /**
     * Chooses the next token and records it as generated.
     *
     * @param logits [vocab] the model's logits for this sequence (at least {@code vocabSize} values);
     *               overwritten with the processed scores
     */
    public int sample(float[] logits) {
        int token = choose(logits);
        history.addOutput(token);
        return token;
    }

    private int choose(float[] logits) {
        applyPenalties(logits);
        if (params.greedy()) {
            return argmax(logits, vocabSize);
        }
        return draw(logits, filter(logits));
    }

    /**
     * The distribution the next token would be drawn from, [vocab] probabilities (one 1 for greedy decoding),
     * without drawing or recording anything but with {@code logits} processed as {@link #sample} does: for
     * tests that check each step against a hand-computed distribution.
     */
    double[] distribution(float[] logits) {
        applyPenalties(logits);
        double[] probabilities = new double[vocabSize];
        if (params.greedy()) {
            probabilities[argmax(logits, vocabSize)] = 1;
            return probabilities;
        }
        int count = filter(logits);
        float max = maxOf(logits, count);
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += Math.exp(logits[candidates[i]] - max);
        }
        for (int i = 0; i < count; i++) {
            probabilities[candidates[i]] = Math.exp(logits[candidates[i]] - max) / total;
        }
        return probabilities;
    }

    /** HF's logits processors that also apply to greedy decoding: repetition, then presence and frequency penalties. */
    private void applyPenalties(float[] logits) {
        if (repetitionPenalty != 1f) {
            history.applyRepetitionPenalty(logits, repetitionPenalty);
        }
        if (presencePenalty != 0f || frequencyPenalty != 0f) {
            history.applyPresenceAndFrequency(logits, presencePenalty, frequencyPenalty);
        }
    }

    /**
     * HF's logits warpers, in HF's order: temperature, top-k, top-p, min-p. Leaves the surviving token ids in
     * {@code candidates[0, count)} and returns {@code count} (at least 1).
     */
    private int filter(float[] logits) {
        weightsReady = false;
        if (temperature != 1f) {
            for (int i = 0; i < vocabSize; i++) {
                logits[i] /= temperature;
            }
        }
        int count = vocabSize;
        if (params.topK() > 0 && params.topK() < count) {
            count = keepTopK(logits, count, params.topK());
        } else {
            for (int i = 0; i < count; i++) {
                candidates[i] = i;
            }
        }
        if (params.topP() < 1) {
            count = keepNucleus(logits, count, params.topP());
        }
        if (params.minP() > 0) {
            count = keepMinP(logits, count, params.minP());
        }
        return count;
    }

    /**
     * HF's {@code TopKLogitsWarper}: keeps every token whose logit is at least the k-th largest (ties with it
     * stay, as {@code scores < topk(scores, k)[-1]} removes only smaller ones). Two sequential passes over the
     * vocabulary: a heap finds the k-th largest logit, then every token at or above it becomes a candidate,
     * in id order.
     */
    private int keepTopK(float[] logits, int count, int k) {
        float threshold = KthLargest.of(logits, count, k, candidates);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (logits[i] >= threshold) {
                candidates[kept++] = i;
            }
        }
        return kept;
    }

    /**
     * HF's {@code TopPLogitsWarper}: a token stays if the probability of the tokens ranked above it is below
     * {@code p} (HF removes a token when the ascending cumulative probability up to it is ≤ 1 − p, the same
     * set); the most likely token always stays.
     */
    private int keepNucleus(float[] logits, int count, double p) {
        float max = maxOf(logits, count);
        double total = 0;
        for (int i = 0; i < count; i++) {
            weights[i] = Math.exp(logits[candidates[i]] - max);
            total += weights[i];
        }
        weightsReady = true;
        return NucleusSelection.select(candidates, weights, count, logits, p * total);
    }

    /**
     * HF's {@code MinPLogitsWarper}: drops tokens whose probability is below {@code minP} times the most likely
     * token's, i.e. whose logit is below {@code max + ln(minP)}. Keeps the order of the candidates.
     */
    private int keepMinP(float[] logits, int count, double minP) {
        float max = maxOf(logits, count);
        double threshold = max + Math.log(minP);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int t = candidates[i];
            if (logits[t] >= threshold || logits[t] == max) {
                weights[kept] = weights[i];          // meaningful only if top-p computed them
                candidates[kept++] = t;
            }
        }
        return kept;
    }

    /**
     * Draws one candidate with probability softmax(logits) over the candidates, reusing the weights
     * {@code exp(logit - max)} if top-p computed them (a common factor does not change the draw).
     */
    private int draw(float[] logits, int count) {
        if (!weightsReady) {
            float max = maxOf(logits, count);
            for (int i = 0; i < count; i++) {
                weights[i] = Math.exp(logits[candidates[i]] - max);
            }
        }
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += weights[i];
        }
        double target = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < count; i++) {
            cumulative += weights[i];
            if (cumulative > target) {
                return candidates[i];
            }
        }
        return candidates[count - 1];   // rounding left target just above the sum
    }

    private float maxOf(float[] logits, int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, logits[candidates[i]]);
        }
        return max;
    }

    /** The first index of the largest value, as {@code torch.argmax}. */
    static int argmax(float[] values, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
