package io.tttv2.integration.serving.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.generation.SamplingParams;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The scheduler over a runner whose cache keeps tokens: batching, budget, chunks, admission, preemption, cancellation. */
class SchedulerTest {

    private static final Tokenizer TOKENIZER = Tokenizer.load(Path.of(System.getProperty("tttv2.root"),
            "testdata/fixtures/tokenizers/bytelevel-bpe/tokenizer.json"));
    private static final int VOCAB = TOKENIZER.vocabSize();
    private static final int EOS = 0;
    /** The next token depends on every token before it (ids 200..999: plain BPE pieces, no special token). */
    private static final ToIntFunction<int[]> HISTORY = seen -> {
        long h = 7;
        for (int t : seen) {
            h = h * 31 + t;
        }
        return 200 + (int) Math.floorMod(h, 800L);
    };

    private static SamplingParams greedy(int maxTokens) {
        return SamplingParams.builder().maxNewTokens(maxTokens).build();
    }

    private static int[] prompt(int length, int salt) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = 300 + (i * 7 + salt) % 500;
        }
        return ids;
    }

    /** Steps until every listener is done (bounded, so a scheduler that stalls fails the test). */
    private static void runToEnd(Scheduler scheduler, Collected... listeners) {
        for (int i = 0; i < 10_000; i++) {
            boolean all = true;
            for (Collected c : listeners) {
                all &= c.done();
            }
            if (all) {
                return;
            }
            scheduler.step();
        }
        throw new AssertionError("the scheduler stalled");
    }

    /** What a request gives alone in a roomy scheduler. */
    private static Completion solo(int[] prompt, SamplingParams params) throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(1, 8, 64, 16, 512), SchedulerObserver.NONE);
        Collected c = new Collected();
        scheduler.submit(new SequenceRequest(prompt, params, c));
        runToEnd(scheduler, c);
        return c.completion;
    }

    @Test
    void requestsJoinAndLeaveBetweenStepsAndDecodeInOneCall() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 64, 16, 256), SchedulerObserver.NONE, false);
        Collected a = new Collected(), b = new Collected(), c = new Collected();
        scheduler.submit(new SequenceRequest(prompt(5, 1), greedy(6), a));
        scheduler.submit(new SequenceRequest(prompt(9, 2), greedy(8), b));
        scheduler.step();                          // both prefilled in one call, first tokens sampled
        assertEquals(1, runner.stepCalls.size());
        assertArrayEquals(new int[] {5, 9}, runner.stepCalls.get(0));
        scheduler.step();                          // both decode in one call
        assertArrayEquals(new int[] {1, 1}, runner.stepCalls.get(1));
        scheduler.submit(new SequenceRequest(prompt(4, 3), greedy(4), c));   // joins while they run
        scheduler.step();                          // its prompt in the same call as their decodes
        assertArrayEquals(new int[] {1, 1, 4}, runner.stepCalls.get(2));
        runToEnd(scheduler, a, b, c);
        assertTrue(runner.stepCalls.stream().anyMatch(rows -> Arrays.equals(rows, new int[] {1, 1, 1})),
                "three sequences decoded together");
        assertEquals(List.of(), runner.prefillCalls, "every step is one mixed call");
        assertEquals(List.of(), runner.decodeCalls, "every step is one mixed call");
        assertEquals(solo(prompt(5, 1), greedy(6)), a.completion);
        assertEquals(solo(prompt(9, 2), greedy(8)), b.completion);
        assertEquals(solo(prompt(4, 3), greedy(4)), c.completion);
        assertEquals(Completion.Outcome.LENGTH, a.completion.reason());
        assertEquals(6, a.completion.completionTokens());
        assertEquals(64, runner.cache.freeBlocks(), "every block back in the pool");
    }

    @Test
    void aPromptThatCompletesRunsBeforeTheDecodesAndItsFirstTokenComesFirst() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 64, 16, 256), SchedulerObserver.NONE, true);
        List<String> order = new ArrayList<>();       // whose text arrived, in order
        Collected a = new Collected(), b = new Collected(), c = new Collected();
        SequenceListener aLogged = logged("a", a, order), bLogged = logged("b", b, order), cLogged = logged("c", c, order);
        scheduler.submit(new SequenceRequest(prompt(5, 1), greedy(6), aLogged));
        scheduler.submit(new SequenceRequest(prompt(9, 2), greedy(8), bLogged));
        scheduler.step();                          // no decodes yet: both prompts in one call
        assertArrayEquals(new int[] {5, 9}, runner.stepCalls.get(0));
        scheduler.step();
        assertArrayEquals(new int[] {1, 1}, runner.stepCalls.get(1));
        scheduler.submit(new SequenceRequest(prompt(4, 3), greedy(4), cLogged));
        order.clear();
        scheduler.step();                          // c's whole prompt first, alone; then a's and b's decodes
        assertEquals(4, runner.stepCalls.size());
        assertArrayEquals(new int[] {4}, runner.stepCalls.get(2));
        assertArrayEquals(new int[] {1, 1}, runner.stepCalls.get(3));
        assertEquals(List.of("c", "a", "b"), order, "the new request's first token is handed out before the decodes' tokens");
        runToEnd(scheduler, a, b, c);
        assertEquals(solo(prompt(5, 1), greedy(6)), a.completion);
        assertEquals(solo(prompt(9, 2), greedy(8)), b.completion);
        assertEquals(solo(prompt(4, 3), greedy(4)), c.completion);
        assertEquals(64, runner.cache.freeBlocks(), "every block back in the pool");
    }

    @Test
    void aLongPromptIsPrefilledInChunksWhileRunningSequencesKeepDecoding() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        // 8 tokens a step: one per decode, the rest for prompt chunks
        // one mixed call per step (prefill first off), so each call's rows show what the step fed
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 64, 16, 8), SchedulerObserver.NONE, false);
        Collected shortOne = new Collected(), longOne = new Collected();
        scheduler.submit(new SequenceRequest(prompt(3, 4), greedy(20), shortOne));
        scheduler.step();
        scheduler.submit(new SequenceRequest(prompt(40, 5), greedy(2), longOne));
        int stepsBefore = runner.stepCalls.size();
        for (int i = 0; i < 6; i++) {
            scheduler.step();
        }
        // every step after the first decoded the short sequence, and fed at most 7 prompt tokens beside it, in one call
        assertEquals(stepsBefore + 6, runner.stepCalls.size());
        for (int[] rows : runner.stepCalls.subList(stepsBefore, runner.stepCalls.size())) {
            assertEquals(2, rows.length);
            assertEquals(1, rows[0], "the short sequence's decode");
            assertTrue(rows[1] <= 7, "chunk of " + rows[1] + " tokens beside a decode in a budget of 8");
        }
        runToEnd(scheduler, shortOne, longOne);
        assertEquals(solo(prompt(40, 5), greedy(2)), longOne.completion, "chunked prefill gives what one prefill gives");
        assertEquals(solo(prompt(3, 4), greedy(20)), shortOne.completion);
    }

    /** Passes every call on to {@code into}, noting {@code name} in {@code order} for each piece of text. */
    private static SequenceListener logged(String name, Collected into, List<String> order) {
        return new SequenceListener() {
            @Override
            public void text(String piece) {
                order.add(name);
                into.text(piece);
            }

            @Override
            public void finished(Completion completion) {
                into.finished(completion);
            }

            @Override
            public void failed(String message) {
                into.failed(message);
            }
        };
    }

    private static int[] concat(int[] a, int... b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A runner whose cache shares blocks (forks, copy-on-write), as the CPU cache does. */
    private static FakeRunner sharingRunner() {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        runner.sharing = true;
        return runner;
    }

    @Test
    void aSecondRequestWithASharedPrefixPrefillsOnlyItsSuffix() throws Exception {
        FakeRunner runner = sharingRunner();
        // blocks of 4: the 10 shared tokens end inside block 2, where A's next token goes too: both copy it on write
        // one mixed call per step (prefill first off), so each call's rows show what the step fed
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 16, 4, 256), SchedulerObserver.NONE, false);
        int[] shared = prompt(10, 11);
        int[] promptA = concat(shared, 901);
        int[] promptB = concat(shared, 902, 903, 904);
        Collected a = new Collected(), b = new Collected();
        scheduler.submit(new SequenceRequest(promptA, greedy(6), a));
        scheduler.step();
        scheduler.submit(new SequenceRequest(promptB, greedy(6), b));
        scheduler.step();
        assertArrayEquals(new int[] {1, 3}, runner.stepCalls.get(1), "A's decode, and only B's 3 tokens after the prefix");
        runToEnd(scheduler, a, b);
        assertEquals(null, a.failure);
        assertEquals(null, b.failure);
        assertEquals(solo(promptA, greedy(6)), a.completion);
        assertEquals(solo(promptB, greedy(6)), b.completion, "the shared prefix gives what prefilling it gives");
        assertEquals(16, scheduler.freeBlocks(), "only cached prefixes hold blocks, and they count as free");
    }

    @Test
    void theSamePromptAgainReusesThePrefixAFinishedRequestLeft() throws Exception {
        FakeRunner runner = sharingRunner();
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 16, 4, 256), SchedulerObserver.NONE);
        int[] prompt = prompt(9, 12);
        Collected first = new Collected(), again = new Collected();
        scheduler.submit(new SequenceRequest(prompt, greedy(3), first));
        runToEnd(scheduler, first);
        int steps = runner.stepCalls.size();
        scheduler.submit(new SequenceRequest(prompt, greedy(3), again));
        runToEnd(scheduler, again);
        assertArrayEquals(new int[] {1}, runner.stepCalls.get(steps), "only the prompt's last token is computed");
        assertEquals(first.completion, again.completion);
        assertEquals(solo(prompt, greedy(3)), again.completion);
    }

    @Test
    void requestsArrivingTogetherWithOnePromptPrefillItOnce() throws Exception {
        FakeRunner runner = sharingRunner();
        // one mixed call per step (prefill first off), so each call's rows show what the step fed
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 32, 4, 256), SchedulerObserver.NONE, false);
        int[] prompt = prompt(9, 13);
        Collected[] c = {new Collected(), new Collected(), new Collected()};
        for (Collected each : c) {
            scheduler.submit(new SequenceRequest(prompt, greedy(4), each));
        }
        scheduler.step();
        assertArrayEquals(new int[] {9}, runner.stepCalls.get(0), "the first prefills; the others wait for its prefix");
        scheduler.step();
        assertArrayEquals(new int[] {1, 1, 1}, runner.stepCalls.get(1), "the first decodes, the others compute one token each");
        runToEnd(scheduler, c);
        for (Collected each : c) {
            assertEquals(solo(prompt, greedy(4)), each.completion);
        }
        assertEquals(32, scheduler.freeBlocks());
    }

    @Test
    void withoutSharingEveryPromptIsPrefilledWhole() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 32, 4, 256), SchedulerObserver.NONE);
        int[] prompt = prompt(9, 13);
        Collected a = new Collected(), b = new Collected();
        scheduler.submit(new SequenceRequest(prompt, greedy(4), a));
        scheduler.submit(new SequenceRequest(prompt, greedy(4), b));
        scheduler.step();
        assertArrayEquals(new int[] {9, 9}, runner.stepCalls.get(0));
        runToEnd(scheduler, a, b);
        assertEquals(a.completion, b.completion);
        assertEquals(32, runner.cache.freeBlocks(), "nothing is kept: every block back in the pool");
    }

    @Test
    void admissionWaitsForFreeBlocks() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        // 4 blocks of 4 tokens: the first request's 10-token prompt takes 3; the second's 8 needs 3 more
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 4, 4, 64), SchedulerObserver.NONE);
        Collected first = new Collected(), second = new Collected();
        scheduler.submit(new SequenceRequest(prompt(10, 6), greedy(2), first));
        scheduler.submit(new SequenceRequest(prompt(8, 7), greedy(2), second));
        scheduler.step();
        assertEquals(1, runner.stepCalls.get(0).length, "only the first is admitted");
        runToEnd(scheduler, first, second);
        assertEquals(solo(prompt(10, 6), greedy(2)), first.completion);
        assertEquals(solo(prompt(8, 7), greedy(2)), second.completion);
    }

    @Test
    void whenBlocksRunOutTheNewestSequenceIsPreemptedAndRecomputedToTheSameOutput() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        List<String> events = new ArrayList<>();
        SchedulerObserver observer = new SchedulerObserver() {
            @Override
            public void preempted() {
                events.add("preempted");
            }
        };
        // 6 blocks of 4 tokens: both prompts (7 tokens each) fit, their growth to 7 + 12 does not
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 6, 4, 64), observer);
        Collected a = new Collected(), b = new Collected();
        scheduler.submit(new SequenceRequest(prompt(7, 8), greedy(12), a));
        scheduler.submit(new SequenceRequest(prompt(7, 9), greedy(12), b));
        runToEnd(scheduler, a, b);
        assertFalse(events.isEmpty(), "a sequence was preempted");
        assertEquals(solo(prompt(7, 8), greedy(12)), a.completion);
        assertEquals(solo(prompt(7, 9), greedy(12)), b.completion, "the recomputed sequence continues as if never preempted");
        assertEquals(6, runner.cache.freeBlocks());
    }

    @Test
    void promptChunksNeverTakeTheBlockARunningDecodeNeedsThisStep() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        // 3 blocks of 4 tokens. A's 4-token prompt fills one; its first decode needs a second. B's 7-token prompt
        // is admitted (2 blocks free) but may only take what A's decode leaves: one block this step.
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 3, 4, 64), SchedulerObserver.NONE);
        Collected a = new Collected(), b = new Collected();
        scheduler.submit(new SequenceRequest(prompt(4, 1), greedy(6), a));
        scheduler.step();
        scheduler.submit(new SequenceRequest(prompt(7, 2), greedy(3), b));
        scheduler.step();
        assertArrayEquals(new int[] {1, 4}, runner.stepCalls.get(1), "A's decode, and B's first chunk of one block");
        runToEnd(scheduler, a, b);
        assertEquals(null, a.failure);
        assertEquals(null, b.failure);
        assertEquals(solo(prompt(4, 1), greedy(6)), a.completion);
        assertEquals(solo(prompt(7, 2), greedy(3)), b.completion);
        assertEquals(3, runner.cache.freeBlocks());
    }

    @Test
    void aCancelledSequenceLeavesAtTheNextStepWithItsBlocksFreed() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 32, 4, 64), SchedulerObserver.NONE);
        Collected a = new Collected(), b = new Collected();
        Scheduler.Submission s = scheduler.submit(new SequenceRequest(prompt(9, 1), greedy(100), a));
        scheduler.submit(new SequenceRequest(prompt(3, 2), greedy(5), b));
        scheduler.step();
        scheduler.step();
        assertTrue(runner.cache.freeBlocks() < 32 - 3);
        s.cancel();
        scheduler.step();
        assertEquals(Completion.Outcome.CANCELLED, a.completion.reason());
        runToEnd(scheduler, b);
        assertEquals(32, runner.cache.freeBlocks());
        assertEquals(solo(prompt(3, 2), greedy(5)), b.completion);
    }

    @Test
    void aFullQueueRefusesAndAnOversizedRequestIsRefusedBeforeQueueing() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 64, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(1, 2, 32, 4, 64), SchedulerObserver.NONE);
        scheduler.submit(new SequenceRequest(prompt(3, 1), greedy(5), new Collected()));
        scheduler.submit(new SequenceRequest(prompt(3, 2), greedy(5), new Collected()));
        assertThrows(QueueFullException.class,
                () -> scheduler.submit(new SequenceRequest(prompt(3, 3), greedy(5), new Collected())));
        scheduler.step();                           // one admitted: room in the queue again
        scheduler.submit(new SequenceRequest(prompt(3, 3), greedy(5), new Collected()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scheduler.submit(new SequenceRequest(prompt(60, 1), greedy(5), new Collected())));
        assertTrue(e.getMessage().contains("exceeds the context of 64 tokens"), e.getMessage());
    }

    @Test
    void eachRequestHasItsOwnSamplingStopStringsAndLimit() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 64, 16, 256), SchedulerObserver.NONE);
        Completion reference = solo(prompt(6, 3), greedy(12));
        String stop = reference.text().substring(3, 5);
        SamplingParams withStop = SamplingParams.builder().maxNewTokens(12).stopStrings(List.of(stop)).build();
        SamplingParams sampled = SamplingParams.builder().doSample(true).temperature(0.7).seed(42).maxNewTokens(12).build();
        Collected plain = new Collected(), stopped = new Collected(), drawn = new Collected();
        scheduler.submit(new SequenceRequest(prompt(6, 3), greedy(12), plain));
        scheduler.submit(new SequenceRequest(prompt(6, 3), withStop, stopped));
        scheduler.submit(new SequenceRequest(prompt(6, 3), sampled, drawn));
        runToEnd(scheduler, plain, stopped, drawn);
        assertEquals(reference, plain.completion);
        assertEquals(Completion.Outcome.STOP, stopped.completion.reason());
        assertEquals(reference.text().substring(0, reference.text().indexOf(stop)), stopped.completion.text());
        assertEquals(stopped.completion.text(), stopped.text(), "what was streamed is the completion's text");
        // the fake's logits peak at 5 over zeros: at temperature 0.7 the peak dominates, but the draw is the sampler's
        assertEquals(solo(prompt(6, 3), sampled), drawn.completion, "a seeded draw is reproducible inside a batch");
    }

    @Test
    void aPausedRunnerMakesRequestsWaitNotFailAndTheyResumeWithTheSameOutput() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 64, 16, 256), SchedulerObserver.NONE);
        Collected a = new Collected(), b = new Collected();
        scheduler.submit(new SequenceRequest(prompt(5, 1), greedy(6), a));
        scheduler.step();                                  // a prefilled, decoding from now on
        scheduler.submit(new SequenceRequest(prompt(7, 2), greedy(6), b));
        runner.pausedCalls = 5;                            // a hot-swap took the assembly's candidate away
        int paused = 0;
        for (int i = 0; i < 3; i++) {
            paused += scheduler.step() ? 1 : 0;
        }
        assertEquals(3, paused, "every step while paused reports it");
        assertFalse(a.done() || b.done(), "no request failed or ended while paused");
        runToEnd(scheduler, a, b);
        assertEquals(null, a.failure);
        assertEquals(solo(prompt(5, 1), greedy(6)), a.completion);
        assertEquals(solo(prompt(7, 2), greedy(6)), b.completion);
    }

    @Test
    void aRequestsOwnStopTokenEndsItAndOnlyIt() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, seen -> 400 + seen.length);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 64, 16, 256), SchedulerObserver.NONE);
        SamplingParams stopAt407 = SamplingParams.builder().maxNewTokens(12).stopTokenIds(java.util.Set.of(407)).build();
        Collected stopped = new Collected(), plain = new Collected();
        scheduler.submit(new SequenceRequest(prompt(5, 0), stopAt407, stopped));
        scheduler.submit(new SequenceRequest(prompt(5, 0), greedy(12), plain));
        runToEnd(scheduler, stopped, plain);
        assertEquals(Completion.Outcome.STOP, stopped.completion.reason());
        assertEquals(3, stopped.completion.completionTokens(), "405, 406, then 407 (counted, not streamed)");
        assertEquals(TOKENIZER.decode(new int[] {405, 406}, true), stopped.completion.text());
        assertEquals(Completion.Outcome.LENGTH, plain.completion.reason(), "another request's stop token is not this one's");
        assertEquals(12, plain.completion.completionTokens());
    }

    @Test
    void anEosTokenEndsTheRequestWithStop() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 512, EOS, seen -> seen.length >= 9 ? EOS : 400 + seen.length);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 64, 16, 256), SchedulerObserver.NONE);
        Collected c = new Collected();
        scheduler.submit(new SequenceRequest(prompt(5, 0), greedy(50), c));
        runToEnd(scheduler, c);
        assertEquals(Completion.Outcome.STOP, c.completion.reason());
        assertEquals(5, c.completion.completionTokens(), "four tokens, then EOS (counted, not streamed)");
        assertEquals(TOKENIZER.decode(new int[] {405, 406, 407, 408}, true), c.completion.text());
    }

    @Test
    void theStepThreadServesSubmissionsAndShutdownCancelsWhatIsLeft() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 4096, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(2, 8, 256, 16, 64), SchedulerObserver.NONE);
        scheduler.start();
        Collected quick = new Collected();
        scheduler.submit(new SequenceRequest(prompt(4, 1), greedy(3), quick));
        long until = System.nanoTime() + 10_000_000_000L;
        while (!isDone(quick) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertTrue(isDone(quick));
        Collected endless = new Collected();
        scheduler.submit(new SequenceRequest(prompt(4, 2), greedy(3000), endless));
        scheduler.shutdown(java.time.Duration.ofMillis(50));
        assertTrue(isDone(endless));
        assertEquals(Completion.Outcome.CANCELLED, endless.completion.reason());
        assertThrows(QueueFullException.class, () -> scheduler.submit(new SequenceRequest(prompt(4, 1), greedy(3), new Collected())));
        assertEquals(256, runner.cache.freeBlocks());
    }

    /** Run by the step thread, the listeners hear from the delivery thread: the same pieces, in order, as run alone. */
    @Test
    void theStepThreadsListenersGetTheSamePiecesInOrderAsRunAlone() throws Exception {
        FakeRunner runner = new FakeRunner(VOCAB, 4096, EOS, HISTORY);
        Scheduler scheduler = new Scheduler(runner, TOKENIZER, new SchedulerConfig(4, 8, 64, 16, 256), SchedulerObserver.NONE);
        scheduler.start();
        List<Collected> collected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Collected c = new Collected();
            collected.add(c);
            scheduler.submit(new SequenceRequest(prompt(4 + i, i + 1), greedy(12), c));
        }
        long until = System.nanoTime() + 10_000_000_000L;
        while (!collected.stream().allMatch(SchedulerTest::isDone) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        scheduler.shutdown(java.time.Duration.ofSeconds(1));
        for (int i = 0; i < 4; i++) {
            Collected c = collected.get(i);
            assertTrue(isDone(c), "request " + i + " finished");
            Completion alone = solo(prompt(4 + i, i + 1), greedy(12));
            assertEquals(alone.text(), c.completion.text(), "request " + i);
            assertEquals(alone.text(), c.text(), "request " + i + ": its pieces, in order, make its text");
            assertEquals(12, c.completion.completionTokens());
        }
    }

    private static boolean isDone(Collected c) {
        synchronized (c) {
            return c.done();
        }
    }
}
