package io.tttv2.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.tensor.Tensor;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a round's decode time counts: the model's steps, not the bench's own recording between them. */
class DecodeRoundsTest {

    private static final int VOCAB = 50_000;

    @Test
    void aRoundsDecodeTimeIsTheSumOfItsStepsRecordingIncludedInNone() throws Exception {
        int decodeTokens = 12;
        int rounds = 3;
        GreedyRecord greedy = new GreedyRecord(decodeTokens + 1);
        DecodeRounds.Timings timings = DecodeRounds.run(runner(), new int[] {1, 2, 3}, decodeTokens, 1, rounds, greedy, () -> { });

        for (int r = 0; r < rounds; r++) {
            long sum = 0;
            for (int i = 0; i < decodeTokens; i++) {
                sum += timings.stepNanos()[r * decodeTokens + i];
            }
            // exactly: the last round's margin scans (as long as a step here) run between the steps, not in them
            assertEquals(sum / 1e9, timings.decodeSeconds()[r], 0.0, "round " + r);
        }
        JsonNode recorded = new ObjectMapper().readTree(greedy.json(Path.of("m"), "Fake", 3, decodeTokens,
                timings.prefillSeconds(), timings.decodeSeconds(), 1, 1, 1, 1)).get("tokens");
        assertEquals(decodeTokens + 1, recorded.size(), "the last round's greedy tokens are still recorded");
        for (int i = 0; i < recorded.size(); i++) {
            assertEquals(4 + i, recorded.get(i).asInt());
        }
    }

    /** A model whose logits after n tokens peak at token n + 1: prefill of 3 gives 4, each decode one more. */
    private static ModelRunner runner() {
        ModelInfo info = new ModelInfo("Fake", VOCAB, 8, 1, 64, List.of(), null);
        BlockTable table = proxy(BlockTable.class, (method, args) -> null);
        PagedKvCache cache = proxy(PagedKvCache.class, (method, args) -> method.equals("newSequence") ? table : null);
        int[] length = {0};
        return proxy(ModelRunner.class, (method, args) -> switch (method) {
            case "info" -> info;
            case "allocateKvCache" -> cache;
            case "prefill" -> peak((Tensor) args[2], length[0] = 3);
            case "decode" -> peak((Tensor) args[3], ++length[0]);
            default -> null;
        });
    }

    private static Object peak(Tensor logits, int tokens) {
        for (int i = 0; i < VOCAB; i++) {
            logits.setFloat(i == (tokens + 1) % VOCAB ? 1f : 0f, 0, i);
        }
        return null;
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.of(method.getName(), args)));
    }

    private interface Answer {
        Object of(String method, Object[] args);
    }
}
