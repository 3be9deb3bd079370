package io.tttv2.core.modules.testing;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;

/**
 * A paged KV cache with small blocks (so sequences span several) and the bookkeeping a model runner does
 * around the modules: reserve room, then record the new length after the step.
 */
public final class Sequences {

    private final PagedKvCache cache;

    /** 256 blocks of 4 tokens. */
    public Sequences(Device device, int layers, int kvHeads, int headDim) {
        this(device, layers, kvHeads, headDim, 4, 256);
    }

    public Sequences(Device device, int layers, int kvHeads, int headDim, int blockSize, int blocks) {
        this.cache = device.allocateKvCache(KvCacheSpec.forHeads(layers, kvHeads, headDim, blockSize, blocks, DType.F32));
    }

    public BlockTable newSequence() {
        return cache.newSequence();
    }

    public PagedKvCache cache() {
        return cache;
    }

    /** The step for tokens start .. start+t-1 of one sequence, with room reserved. */
    public PrefillStep prefill(BlockTable table, int start, int t) {
        table.reserve(start + t);
        return new PrefillStep(cache, table, start);
    }

    /** Records that the sequence now holds {@code length} tokens. */
    public static void done(BlockTable table, int length) {
        table.setLength(length);
    }

    /** One decode step: each sequence's next token at its current length, with room reserved. */
    public DecodeStep decode(BlockTable... tables) {
        int[] positions = new int[tables.length];
        for (int i = 0; i < tables.length; i++) {
            positions[i] = tables[i].length();
            tables[i].reserve(positions[i] + 1);
        }
        return new DecodeStep(cache, tables, positions);
    }

    /** Records the decoded token of each sequence. */
    public static void done(DecodeStep step) {
        for (int i = 0; i < step.batch(); i++) {
            step.tables()[i].setLength(step.positions()[i] + 1);
        }
    }
}
