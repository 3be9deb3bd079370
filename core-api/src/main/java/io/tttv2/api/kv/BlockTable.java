package io.tttv2.api.kv;

import org.osgi.annotation.versioning.ConsumerType;

/** The blocks one sequence holds, in position order. */
@ConsumerType
public interface BlockTable {

    /** Tokens the sequence has in the cache (positions {@code 0 .. length-1}). */
    int length();

    /** Sets the number of tokens held; {@link #reserve(int)} must have made room for them. */
    void setLength(int tokens);

    /**
     * Makes room for {@code tokens} tokens in total, drawing blocks from the pool.
     *
     * @throws KvCacheFullException if the pool has too few free blocks
     */
    void reserve(int tokens);

    /** Number of blocks held. */
    int blockCount();

    /** The cache block holding logical block {@code i} (positions {@code i*blockSize ..}). */
    int block(int i);

    /** The held block ids, in order (a copy). */
    int[] blocks();

    /** Returns every block to the pool; the table is empty afterwards. */
    void release();

    /**
     * A new table for another sequence whose first {@code tokens} positions are this one's (a shared prefix, such as
     * a common system prompt): it holds the same blocks for them, counted once more, and its length is
     * {@code tokens}. A block returns to the pool when its last holder releases it. Before a table writes into a
     * block another table still holds, {@link #reserve} gives it a copy of its own (copy-on-write), so a shared
     * partial last block is never written under the other holder.
     *
     * @param tokens positions to share, at most {@link #length()}
     * @throws UnsupportedOperationException if the cache does not share blocks ({@link PagedKvCache#sharesBlocks()})
     */
    default BlockTable fork(int tokens) {
        throw new UnsupportedOperationException("this KV cache does not share blocks between sequences");
    }
}
