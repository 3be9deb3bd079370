package io.tttv2.api.modules;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import java.util.Arrays;

/**
 * One step over a mixed batch of rows: prompt chunks of sequences being prefilled and single tokens of
 * sequences being decoded, concatenated. Row r is the token at {@code positions[r]} of the sequence whose
 * blocks are {@code tables[r]}; its key and value go there. The rows of one sequence are consecutive, at
 * consecutive increasing positions (a run), and a sequence has one run per step; each table has room for its
 * run's last position. Row r attends (causally) to positions {@code 0 .. positions[r]} of its own sequence.
 *
 * @param cache     the paged KV cache every row's keys and values go to
 * @param tables    [rows] the block table of each row's sequence (the same table for the rows of one run)
 * @param positions [rows] each row's position in its sequence
 */
public record MixedStep(PagedKvCache cache, BlockTable[] tables, int[] positions) {

    public MixedStep {
        if (cache == null || tables == null || positions == null) {
            throw new IllegalArgumentException("mixed step needs a cache, tables and positions, found null");
        }
        if (tables.length != positions.length) {
            throw new IllegalArgumentException("mixed step of " + positions.length + " positions got "
                    + tables.length + " block tables");
        }
    }

    /** Number of rows (tokens) in the step. */
    public int rows() {
        return positions.length;
    }

    /** The end (exclusive) of the run that starts at row {@code from}: its rows share the table and follow on. */
    public int runEnd(int from) {
        int end = from + 1;
        while (end < positions.length && tables[end] == tables[from] && positions[end] == positions[end - 1] + 1) {
            end++;
        }
        return end;
    }

    /** Rows {@code from .. from+count-1} as a step of their own. */
    public MixedStep rows(int from, int count) {
        return new MixedStep(cache, Arrays.copyOfRange(tables, from, from + count),
                Arrays.copyOfRange(positions, from, from + count));
    }
}
