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
}
