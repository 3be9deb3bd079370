package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.runner.StepRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The batched step of the model kit against separate prefill and decode calls, for a dense model (Llama), one
 * with learned positions (GPT-2), two mixtures of experts (Mixtral, Qwen2-MoE) and latent attention (DeepSeek-V3),
 * each on its HF fixture checkpoint. Three sequences join one after another; every step mixes the decode tokens of
 * the running ones with prompt chunks of different sizes of the others (a chunk mid-prompt wants no logits). Every
 * logits row the steps produce must equal, within float tolerance, the one a lone prefill then decode of that
 * sequence produces, and the greedy tokens must be identical. A forked prefix (prefix sharing) gives what a prefill
 * of the whole prompt gives.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MixedStepIT {

    private static final int[][] PROMPTS = {{1, 17, 33, 90, 200, 5, 61, 8, 44}, {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14},
            {100, 101, 7, 250, 9}};
    /** The step each sequence joins at, and the prompt chunk size it is fed with. */
    private static final int[] JOIN = {0, 1, 2};
    private static final int[] CHUNK = {9, 5, 2};
    private static final int NEW_TOKENS = 6;
    private static final int BLOCK_SIZE = 4;        // small: runs cross block boundaries
    /** Float tolerance on logits: the batched matmuls may sum in another order than the one-sequence ones. */
    private static final float TOLERANCE = 2e-3f;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Test
    public void llamaStepEqualsPrefillAndDecode() throws Exception {
        check("llama-family", "llama");
    }

    @Test
    public void gpt2StepEqualsPrefillAndDecode() throws Exception {
        check("gpt2", "gpt2");
    }

    @Test
    public void mixtralStepEqualsPrefillAndDecode() throws Exception {
        check("mixtral", "mixtral");
    }

    @Test
    public void qwen2MoeStepEqualsPrefillAndDecode() throws Exception {
        check("qwen2-moe", "qwen2_moe");
    }

    @Test
    public void deepseekV3LatentAttentionStepEqualsPrefillAndDecode() throws Exception {
        check("deepseek-v3", "deepseek_v3");
    }

    @Test
    public void llamaForkedPrefixGivesThePrefillsLogits() throws Exception {
        checkFork("llama-family", "llama");
    }

    @Test
    public void deepseekV3ForkedPrefixGivesThePrefillsLogits() throws Exception {
        checkFork("deepseek-v3", "deepseek_v3");
    }

    /**
     * Prefix sharing on the CPU cache: B forks A's first 9 positions (blocks of 4: the shared last block is partial
     * and is where A's next token goes too), then one step decodes A and feeds B only its own suffix. The first writer
     * copies the shared block; A's logits equal its lone decode, B's equal a prefill of B's whole prompt.
     */
    private void checkFork(String model, String fixture) throws Exception {
        ModelRunnerFactory factory = ServiceWait.service(context, ModelRunnerFactory.class, "(tttv2.model=" + model + ")");
        int[] promptA = PROMPTS[1];                                               // 13 tokens
        int[] promptB = {2, 3, 4, 5, 6, 7, 8, 9, 10, 77, 78, 79};                 // A's first 9, then its own
        try (ModelRunner runner = (ModelRunner) factory.initialize(
                BuiltDistribution.root().resolve("testdata/fixtures").resolve(fixture), new RunnerOptions(4, 0))) {
            int vocab = runner.info().vocabSize();
            float[] expectedB = separately(runner, promptB, vocab).getFirst();
            List<float[]> expectedA = separately(runner, Arrays.copyOf(promptA, 10), vocab);
            try (PagedKvCache cache = runner.allocateKvCache(16, BLOCK_SIZE)) {
                assertTrue(cache.sharesBlocks());
                BlockTable a = cache.newSequence();
                Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, vocab);   // [2, vocab]
                runner.step(cache, List.of(new StepRequest(Arrays.copyOf(promptA, 10), a, true)), logits.slice(0, 0, 1));
                int free = cache.freeBlocks();
                BlockTable b = a.fork(9);
                assertEquals(free, cache.freeBlocks());
                runner.step(cache, List.of(new StepRequest(new int[] {argmax(expectedA.getFirst())}, a, true),
                        new StepRequest(Arrays.copyOfRange(promptB, 9, promptB.length), b, true)), logits);
                // A reserves first and copies the shared block; B then holds the old one alone and writes into it
                assertEquals("the shared block was copied once", free - 1, cache.freeBlocks());
                float diffA = maxAbsDiff(expectedA.get(1), logits.slice(0, 0, 1).toFloatArray());
                float diffB = maxAbsDiff(expectedB, logits.slice(0, 1, 1).toFloatArray());
                assertTrue(fixture + ": A's decode after the fork differs by " + diffA, diffA <= TOLERANCE);
                assertTrue(fixture + ": B's suffix over the forked prefix differs by " + diffB, diffB <= TOLERANCE);
                assertEquals(argmax(expectedB), argmax(logits.slice(0, 1, 1).toFloatArray()));
            }
        }
    }

    private void check(String model, String fixture) throws Exception {
        ModelRunnerFactory factory = ServiceWait.service(context, ModelRunnerFactory.class, "(tttv2.model=" + model + ")");
        try (ModelRunner runner = (ModelRunner) factory.initialize(
                BuiltDistribution.root().resolve("testdata/fixtures").resolve(fixture), new RunnerOptions(4, 0))) {
            int vocab = runner.info().vocabSize();
            List<List<float[]>> expected = new ArrayList<>();
            for (int[] prompt : PROMPTS) {
                expected.add(separately(runner, prompt, vocab));
            }
            List<List<float[]>> mixed = mixed(runner, vocab);
            for (int s = 0; s < PROMPTS.length; s++) {
                assertEquals(fixture + " sequence " + s + ": logits rows", expected.get(s).size(), mixed.get(s).size());
                for (int i = 0; i < NEW_TOKENS; i++) {
                    float[] want = expected.get(s).get(i);
                    float[] got = mixed.get(s).get(i);
                    float diff = maxAbsDiff(want, got);
                    assertTrue(fixture + " sequence " + s + " token " + i + ": logits differ by " + diff,
                            diff <= TOLERANCE);
                    assertEquals(fixture + " sequence " + s + " token " + i + ": greedy token", argmax(want), argmax(got));
                }
            }
        }
    }

    /** Logits after the prompt (one prefill) and after each of NEW_TOKENS-1 greedy decodes (one decode each). */
    private static List<float[]> separately(ModelRunner runner, int[] prompt, int vocab) {
        List<float[]> rows = new ArrayList<>();
        try (PagedKvCache cache = runner.allocateKvCache(16, BLOCK_SIZE)) {
            BlockTable table = cache.newSequence();
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);     // [1, vocab]
            runner.prefill(cache, List.of(new PrefillRequest(prompt, table, null)), logits);
            rows.add(logits.toFloatArray());
            for (int i = 1; i < NEW_TOKENS; i++) {
                runner.decode(cache, new int[] {argmax(rows.getLast())}, new BlockTable[] {table}, logits);
                rows.add(logits.toFloatArray());
            }
        }
        return rows;
    }

    /** The same sequences through mixed steps, the logits rows of each sequence in order. */
    private static List<List<float[]>> mixed(ModelRunner runner, int vocab) {
        int n = PROMPTS.length;
        List<List<float[]>> rows = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            rows.add(new ArrayList<>());
        }
        try (PagedKvCache cache = runner.allocateKvCache(48, BLOCK_SIZE)) {
            BlockTable[] tables = new BlockTable[n];
            int[] fed = new int[n];
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, n, vocab);     // [n, vocab]
            boolean mixedAChunkWithDecodes = false;
            for (int step = 0; rows.stream().anyMatch(r -> r.size() < NEW_TOKENS); step++) {
                List<StepRequest> requests = new ArrayList<>();
                List<Integer> who = new ArrayList<>();
                boolean chunks = false;
                boolean decodes = false;
                for (int s = 0; s < n; s++) {
                    if (step < JOIN[s] || rows.get(s).size() == NEW_TOKENS) {
                        continue;
                    }
                    if (tables[s] == null) {
                        tables[s] = cache.newSequence();
                    }
                    int[] prompt = PROMPTS[s];
                    if (fed[s] < prompt.length) {
                        int count = Math.min(CHUNK[s], prompt.length - fed[s]);
                        requests.add(new StepRequest(Arrays.copyOfRange(prompt, fed[s], fed[s] + count), tables[s],
                                fed[s] + count == prompt.length));
                        fed[s] += count;
                        chunks = true;
                    } else {
                        requests.add(new StepRequest(new int[] {argmax(rows.get(s).getLast())}, tables[s], true));
                        decodes = true;
                    }
                    who.add(s);
                }
                mixedAChunkWithDecodes |= chunks && decodes;
                runner.step(cache, requests, logits.slice(0, 0, requests.size()));
                for (int r = 0; r < requests.size(); r++) {
                    if (requests.get(r).wantsLogits()) {
                        rows.get(who.get(r)).add(logits.slice(0, r, 1).toFloatArray());
                    }
                }
            }
            assertTrue("some step mixed prompt chunks with decode tokens", mixedAChunkWithDecodes);
            for (int s = 0; s < n; s++) {
                assertEquals("sequence " + s + " holds its prompt and generated tokens",
                        PROMPTS[s].length + NEW_TOKENS - 1, tables[s].length());
            }
        }
        return rows;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
