package io.tttv2.integration.spark;

import io.tttv2.launcher.spi.GeneratedText;
import io.tttv2.launcher.spi.GenerationSettings;
import io.tttv2.launcher.spi.HostBatchJobs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/** On an executor: one partition's prompts through the executor's host, in groups the scheduler batches. */
final class GeneratePartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    /** Rows handed to the scheduler at once; it runs {@code maxBatch} of them together and queues the rest. */
    static final int GROUP = 256;

    private final ModelRef model;
    private final int promptIndex;
    private final GenerationOptions options;

    GeneratePartition(ModelRef model, int promptIndex, GenerationOptions options) {
        this.model = model;
        this.promptIndex = promptIndex;
        this.options = options;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        HostBatchJobs jobs = ExecutorHost.jobs(model.home());
        String directory = ExecutorHost.resolve(model.modelDirectory()).toString();
        GenerationSettings settings = new GenerationSettings(options.maxNewTokens(), options.greedy(), options.temperature(),
                options.topP(), options.topK(), options.seed(), options.maxBatch());
        return new PartitionRows(rows, GROUP, group -> run(jobs, directory, settings, group));
    }

    private List<Row> run(HostBatchJobs jobs, String directory, GenerationSettings settings, List<Row> group) {
        List<String> prompts = new ArrayList<>();
        for (Row row : group) {
            if (!row.isNullAt(promptIndex)) {
                prompts.add(row.getString(promptIndex));
            }
        }
        List<GeneratedText> results;
        try {
            results = jobs.generate(directory, prompts, settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tttv2: " + e.getMessage(), e);
        }
        List<Row> out = new ArrayList<>(group.size());
        int next = 0;
        for (Row row : group) {
            GeneratedText g = row.isNullAt(promptIndex) ? GeneratedText.failed(0, "the prompt is null") : results.get(next++);
            out.add(append(row, g.text(), g.tokenIds(), g.finishReason(), g.promptTokens(), g.completionTokens(),
                    g.millis(), g.error()));
        }
        return out;
    }

    static Row append(Row row, Object... values) {
        Object[] fields = new Object[row.length() + values.length];
        for (int i = 0; i < row.length(); i++) {
            fields[i] = row.get(i);
        }
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            // an array column's value, as Spark's Row encoder takes it: a Scala Seq
            if (v instanceof int[] ints) {
                v = CollectionConverters.asScala(java.util.Arrays.stream(ints).boxed().toList()).toSeq();
            } else if (v instanceof float[] floats) {
                List<Float> list = new ArrayList<>(floats.length);
                for (float f : floats) {
                    list.add(f);
                }
                v = CollectionConverters.asScala(list).toSeq();
            }
            fields[row.length() + i] = v;
        }
        return RowFactory.create(fields);
    }
}
