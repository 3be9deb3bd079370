package io.tttv2.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GreedyRecordTest {

    @Test
    void theJsonCarriesTheStartUpPhasesInOrder() throws Exception {
        GreedyRecord greedy = new GreedyRecord(2);
        AtomicInteger told = new AtomicInteger();
        greedy.onFirstToken(told::incrementAndGet);
        greedy.modelLoaded();
        Thread.sleep(20);
        long before = System.currentTimeMillis();
        greedy.firstToken();
        long after = System.currentTimeMillis();
        greedy.firstToken();          // a later prefill's does not count
        JsonNode o = new ObjectMapper().readTree(greedy.json(Path.of("m"), "LlamaForCausalLM", 4, 1,
                new double[] {1}, new double[] {1}, 1, 1, 1024, 5));
        long loaded = o.get("loaded_ms").asLong();
        long first = o.get("first_token_ms").asLong();
        assertTrue(loaded > 0 && first >= loaded + 15, o.toString());
        assertTrue(o.has("host_ms"), o.toString());
        long epoch = o.get("first_token_epoch_ms").asLong();
        assertTrue(epoch >= before && epoch <= after, o.toString());
        assertEquals(1, told.get(), "the listener runs once, at the first token");
    }

    @Test
    void withoutALoadTheLoadedFigureIsUnknown() throws Exception {
        GreedyRecord greedy = new GreedyRecord(1);
        JsonNode o = new ObjectMapper().readTree(greedy.json(Path.of("m"), "LlamaForCausalLM", 4, 1,
                new double[] {1}, new double[] {1}, 1, 1, 1024, 5));
        assertEquals(-1, o.get("loaded_ms").asLong());
        assertEquals(-1, o.get("first_token_ms").asLong());
        assertEquals(-1, o.get("first_token_epoch_ms").asLong());
    }
}
