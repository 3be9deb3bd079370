package io.tttv2.integration.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * A partition's rows in groups of {@code group}, each group handed to {@code run} at once (so the scheduler
 * batches it) and its output rows streamed back: the partition is never held in memory whole.
 */
final class PartitionRows implements Iterator<Row> {

    private final Iterator<Row> input;
    private final int group;
    private final Function<List<Row>, List<Row>> run;
    private Iterator<Row> current = java.util.Collections.emptyIterator();

    PartitionRows(Iterator<Row> input, int group, Function<List<Row>, List<Row>> run) {
        this.input = input;
        this.group = group;
        this.run = run;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && input.hasNext()) {
            List<Row> rows = new ArrayList<>(group);
            while (rows.size() < group && input.hasNext()) {
                rows.add(input.next());
            }
            current = run.apply(rows).iterator();
        }
        return current.hasNext();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
