package io.tttv2.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The prompts of a serving benchmark. Shared: every request sends the same prompt, so after the first the
 * server's prefix sharing prefills next to nothing and time to first token looks better than real traffic's.
 * Distinct (the default): every request of every run gets its own token sequence of the same length, drawn
 * from a pool of ordinary token ids (those of a passage of text, so the model sees words it knows) by a
 * random generator seeded once — the same seed gives the same prompts in the same order — and never one
 * already sent in this benchmark, so no request finds its prompt in the server's prefix cache. Two prompts
 * may still begin with the same token or two, as independent texts do.
 */
final class BenchPrompts {

    private final int[] shared;              // the one prompt, or null when prompts are distinct
    private final int[] pool;                // distinct token ids to draw from
    private final int length;
    private final long seed;
    private final SplittableRandom random;
    private final Set<List<Integer>> sent = new HashSet<>();

    private BenchPrompts(int[] shared, int[] pool, int length, long seed) {
        this.shared = shared;
        this.pool = pool;
        this.length = length;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** Every request sends {@code prompt}. */
    static BenchPrompts shared(int[] prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("an empty prompt");
        }
        return new BenchPrompts(prompt.clone(), null, prompt.length, 0);
    }

    /**
     * Each request its own sequence of {@code length} ids drawn from {@code pool}'s distinct ids.
     *
     * @throws IllegalArgumentException if the pool has fewer than two distinct ids or length is not positive
     */
    static BenchPrompts distinct(int[] pool, int length, long seed) {
        int[] ids = Arrays.stream(pool).distinct().sorted().toArray();
        if (ids.length < 2 || length <= 0) {
            throw new IllegalArgumentException("distinct prompts need a pool of at least two token ids and a positive length;"
                    + " found " + ids.length + " ids and length " + length);
        }
        return new BenchPrompts(null, ids, length, seed);
    }

    boolean isShared() {
        return shared != null;
    }

    int length() {
        return length;
    }

    /** The next {@code count} prompts, in order: the first goes to client 0's first request, and so on. */
    synchronized List<int[]> next(int count) {
        List<int[]> prompts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            prompts.add(shared != null ? shared.clone() : fresh());
        }
        return prompts;
    }

    /** A sequence not sent before: with a pool of p ids there are p^length of them, so a redraw is rare. */
    private int[] fresh() {
        while (true) {
            int[] ids = new int[length];
            List<Integer> key = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                ids[i] = pool[random.nextInt(pool.length)];
                key.add(ids[i]);
            }
            if (sent.add(key)) {
                return ids;
            }
        }
    }

    /** What the benchmark prints about its prompts. */
    String describe() {
        return shared != null
                ? "prompts: one shared prompt of " + length + " tokens (the server's prefix sharing prefills it once)"
                : "prompts: distinct per request, " + length + " tokens each (seed " + seed + ")";
    }
}
