package io.tttv2.integration.generation;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.runner.ModelInfo;

/**
 * How many tokens a sequence's KV cache may hold: the model's context, but never more than
 * {@link #MAX_BYTES} of keys and values. The context comes from the checkpoint's {@code config.json}, which
 * may claim millions of positions; the cache is allocated (and zeroed) up front, so without this bound a
 * claim alone would take gigabytes before the first token.
 */
final class KvCacheBudget {
    /** The largest KV cache one sequence allocates (README, "Limits"). */
    static final long MAX_BYTES = 4L << 30;

    private KvCacheBudget() {
    }

    /** Tokens the cache of one sequence of this model may hold: at least 1, at most the context. */
    static int tokens(ModelInfo info) {
        KvCacheSpec kv = info.kvCache();
        long perToken = kv.bytesPerToken();   // keys + values, or latent entries, of every layer
        return (int) Math.max(1, Math.min(info.maxSequenceLength(), MAX_BYTES / perToken));
    }

    /** Blocks of {@code blockSize} for {@code tokens} positions. */
    static int blocks(int tokens, int blockSize) {
        return (int) ((tokens + (long) blockSize - 1) / blockSize);
    }
}
