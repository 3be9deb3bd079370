package io.tttv2.integration.spark;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The columns the jobs add to each row, after the input's own. */
final class OutputColumns {

    static final String TEXT = "generated_text";
    static final String TOKEN_IDS = "generated_ids";
    static final String FINISH_REASON = "finish_reason";
    static final String PROMPT_TOKENS = "prompt_tokens";
    static final String COMPLETION_TOKENS = "completion_tokens";
    static final String MILLIS = "generation_millis";
    static final String EMBEDDING = "embedding";
    static final String EMBEDDING_TOKENS = "embedding_tokens";
    /** Null, or one line saying why this row has no output (a prompt too long, a null text); the job goes on. */
    static final String ERROR = "error";

    private OutputColumns() {
    }

    static List<StructField> generation() {
        return List.of(
                DataTypes.createStructField(TEXT, DataTypes.StringType, true),
                DataTypes.createStructField(TOKEN_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), true),
                DataTypes.createStructField(FINISH_REASON, DataTypes.StringType, true),
                DataTypes.createStructField(PROMPT_TOKENS, DataTypes.IntegerType, false),
                DataTypes.createStructField(COMPLETION_TOKENS, DataTypes.IntegerType, false),
                DataTypes.createStructField(MILLIS, DataTypes.LongType, false),
                DataTypes.createStructField(ERROR, DataTypes.StringType, true));
    }

    static List<StructField> embedding() {
        return List.of(
                DataTypes.createStructField(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), true),
                DataTypes.createStructField(EMBEDDING_TOKENS, DataTypes.IntegerType, false),
                DataTypes.createStructField(ERROR, DataTypes.StringType, true));
    }

    /** The input's schema with {@code added} after it; a name already in the input is refused in one line. */
    static StructType appended(StructType input, List<StructField> added) {
        StructType out = input;
        for (StructField f : added) {
            if (List.of(input.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("column '" + f.name() + "': the input already has it, and the job adds"
                        + " it; rename or drop it first");
            }
            out = out.add(f);
        }
        return out;
    }
}
