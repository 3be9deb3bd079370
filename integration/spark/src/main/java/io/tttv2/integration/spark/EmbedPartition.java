package io.tttv2.integration.spark;

import io.tttv2.launcher.spi.EmbeddedText;
import io.tttv2.launcher.spi.HostBatchJobs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/** On an executor: one partition's texts through the executor's host, encoded in padded batches. */
final class EmbedPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    static final int GROUP = 256;

    private final ModelRef model;
    private final int textIndex;
    private final EmbedOptions options;

    EmbedPartition(ModelRef model, int textIndex, EmbedOptions options) {
        this.model = model;
        this.textIndex = textIndex;
        this.options = options;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        HostBatchJobs jobs = ExecutorHost.jobs(model.home());
        String directory = ExecutorHost.resolve(model.modelDirectory()).toString();
        return new PartitionRows(rows, GROUP, group -> run(jobs, directory, group));
    }

    private List<Row> run(HostBatchJobs jobs, String directory, List<Row> group) {
        List<String> texts = new ArrayList<>();
        for (Row row : group) {
            if (!row.isNullAt(textIndex)) {
                texts.add(row.getString(textIndex));
            }
        }
        List<EmbeddedText> results;
        try {
            results = jobs.embed(directory, texts, options.pooling(), options.normalize());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tttv2: " + e.getMessage(), e);
        }
        List<Row> out = new ArrayList<>(group.size());
        int next = 0;
        for (Row row : group) {
            EmbeddedText e = row.isNullAt(textIndex) ? new EmbeddedText(null, 0, "the text is null") : results.get(next++);
            out.add(GeneratePartition.append(row, e.vector(), e.tokens(), e.error()));
        }
        return out;
    }
}
