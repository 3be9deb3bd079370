package io.tttv2.integration.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The test rows: an id and a prompt drawn from a few distinct KJV-like openings. */
final class Rows {

    static final List<String> PROMPTS = List.of(
            "In the beginning", "And God said", "The LORD is my shepherd", "Blessed are the", "And it came to pass",
            "Now the serpent was", "Thus saith the LORD", "And Moses said unto", "For God so loved", "Let there be",
            "And the earth was", "Hear, O Israel", "Vanity of vanities", "And Jesus answered", "Honour thy father");
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("prompt", DataTypes.StringType, true);

    private Rows() {
    }

    /** {@code n} rows, id i holding {@code PROMPTS[i % PROMPTS.size()]}, spread over {@code partitions}. */
    static Dataset<Row> prompts(SparkSession spark, int n, int partitions, List<Row> extra) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create((long) i, PROMPTS.get(i % PROMPTS.size())));
        }
        rows.addAll(extra);
        // parallelize, not repartition: no shuffle, so a lost executor loses only the partitions it was running
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), SCHEMA);
    }
}
