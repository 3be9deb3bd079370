package io.tttv2.integration.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;

/** Checks generated rows against {@code tttv2 generate --greedy} for their prompts. */
final class GreedyRows {

    private static final Map<Integer, GreedyRows> BY_MAX_TOKENS = new HashMap<>();
    private final Map<String, JsonNode> offline = new HashMap<>();

    private GreedyRows(OfflineTruth truth, int maxTokens) throws Exception {
        for (String prompt : Rows.PROMPTS) {
            offline.put(prompt, truth.generate(BuiltDistribution.kjvTiny(), prompt, maxTokens));
        }
    }

    /** The offline outputs of every prompt in {@link Rows#PROMPTS}, computed once per test JVM. */
    static synchronized GreedyRows of(int maxTokens) throws Exception {
        GreedyRows rows = BY_MAX_TOKENS.get(maxTokens);
        if (rows == null) {
            rows = new GreedyRows(OfflineTruth.shared(), maxTokens);
            BY_MAX_TOKENS.put(maxTokens, rows);
        }
        return rows;
    }

    /**
     * Every id in {@code [0, n)} exactly once, each row's text, ids and finish reason equal to the offline
     * command's; rows with other ids are returned for the caller to check.
     */
    List<Row> check(List<Row> out, int n) {
        Set<Long> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        List<Row> others = new ArrayList<>();
        for (Row row : out) {
            long id = row.getLong(row.fieldIndex("id"));
            assertTrue(ids.add(id), "row " + id + " twice");
            if (id >= n) {
                others.add(row);
                continue;
            }
            assertNull(row.getString(row.fieldIndex(OutputColumns.ERROR)), "row " + id);
            JsonNode expected = offline.get(row.getString(row.fieldIndex("prompt")));
            String text = row.getString(row.fieldIndex(OutputColumns.TEXT));
            assertEquals(expected.get("text").asText(), text, "row " + id);
            List<Integer> expectedIds = new ArrayList<>();
            expected.get("generated_ids").forEach(node -> expectedIds.add(node.asInt()));
            assertEquals(expectedIds, row.getList(row.fieldIndex(OutputColumns.TOKEN_IDS)), "row " + id);
            String reason = expected.get("finish_reason").asText().equals("length") ? "length" : "stop";
            assertEquals(reason, row.getString(row.fieldIndex(OutputColumns.FINISH_REASON)), "row " + id);
            assertEquals(expectedIds.size(), row.getInt(row.fieldIndex(OutputColumns.COMPLETION_TOKENS)), "row " + id);
            texts.add(text);
        }
        for (long id = 0; id < n; id++) {
            assertTrue(ids.contains(id), "row " + id + " is missing");
        }
        assertTrue(texts.size() > Rows.PROMPTS.size() / 2, "distinct prompts give distinct texts: " + texts.size());
        return others;
    }
}
