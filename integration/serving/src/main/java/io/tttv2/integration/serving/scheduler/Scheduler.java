package io.tttv2.integration.serving.scheduler;

import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.StepRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.generation.Sampler;
import io.tttv2.integration.tokenizers.StreamingDecoder;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Continuous batching over one model runner. Requests join and leave between steps; each step
 * <ol>
 *   <li>drops cancelled requests (freeing their blocks), admits waiting ones while fewer than
 *       {@code maxBatch} run and the free KV blocks cover their prompts,</li>
 *   <li>when the cache shares blocks, gives a newly admitted sequence the longest prefix of its tokens already in
 *       the cache — a running sequence's or one a finished sequence left ({@link PrefixCache}) — by forking that
 *       table, so only the rest is prefilled; one whose prefix an earlier sequence is prefilling right now waits
 *       a step for it,</li>
 *   <li>gives one token of the step's budget to every decoding sequence — preempting the most recently
 *       admitted sequences (freeing their blocks; they are recomputed later) if the cache cannot grow them —
 *       and the rest to prompt chunks, oldest first,</li>
 *   <li>runs one mixed step ({@link ModelRunner#step}) for the decode tokens and the prompt chunks together, so
 *       the model's weights are read once per step for all of them, then samples each sequence that is up to
 *       date with its own sampler, and ends those that reach an EOS token, a stop string, their
 *       {@code max_tokens} or the context. Prompt chunks that complete their prompt go first, in a call of
 *       their own, and their first tokens are handed out before the decodes' call ({@link #PREFILL_FIRST}).</li>
 * </ol>
 * The runner is not thread-safe: only the step thread ({@link #start()}, or a test calling {@link #step()})
 * touches it and the cache. {@link #submit} and {@link Submission#cancel()} are safe from any thread. Listener
 * calls and per-token observations are made in order, on the step thread when a test drives {@link #step()},
 * else on a delivery thread at the end of each step ({@link EventDelivery}), so that waking the threads that
 * answer requests does not hold up the next step.
 */
public final class Scheduler implements AutoCloseable {

    /** How long the step thread waits before trying again while the runner is paused. */
    static final long PAUSED_RETRY_MILLIS = 10;

    /**
     * Whether a step runs the prompt chunks that complete their prompts in a call of their own before the
     * decodes (default), so a new request's first token waits for its own rows only — not for the other
     * streams' decode rows beside them — at the price of one more pass over the weights per arrival; off
     * ({@code -Dtttv2.serving.prefillFirst=false}), every step is one mixed call (an A/B switch).
     */
    static final boolean PREFILL_FIRST = !"false".equals(System.getProperty("tttv2.serving.prefillFirst"));

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A submitted request, as the submitter holds it. */
    public static final class Submission {
        private final Sequence sequence;
        private final Scheduler scheduler;

        private Submission(Sequence sequence, Scheduler scheduler) {
            this.sequence = sequence;
            this.scheduler = scheduler;
        }

        /** Drops the request at the next step boundary, freeing its blocks; its listener gets CANCELLED. */
        public void cancel() {
            sequence.cancel();
            scheduler.wake();
        }
    }

    private final ModelRunner runner;
    private final ModelInfo info;
    private final Tokenizer tokenizer;
    private final SchedulerConfig config;
    private final SchedulerObserver observer;
    private final PagedKvCache cache;
    private final int context;                      // longest sequence: the model's and the cache's
    private final int vocab;
    private final Tensor stepLogits;                // [maxBatch, vocab]: a running sequence is one request of a step
    private final float[] scores;                   // [vocab] one row, processed by a sampler in place
    private final PrefixCache prefixes;             // finished sequences' tables, while their blocks are not needed
    private final EventDelivery delivery = new EventDelivery();   // listener and per-token observer calls
    private int[] blockMarks;                       // [≥ kvBlocks] stamps by block id, to count blocks without sets (step thread)
    private int blockStamp;
    private volatile int cachedBlocks;              // blocks only the prefix cache holds (reclaimable), as last seen

    private final ConcurrentLinkedQueue<Sequence> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();     // incoming + waiting, for the queue bound
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();   // step thread only
    private final List<Sequence> running = new ArrayList<>();      // step thread only, in admission order
    private final Object signal = new Object();
    private volatile boolean accepting = true;
    private volatile boolean stopping;
    private volatile int runningCount;                             // running.size() for other threads
    private Thread thread;
    private final boolean prefillFirst;

    public Scheduler(ModelRunner runner, Tokenizer tokenizer, SchedulerConfig config, SchedulerObserver observer) {
        this(runner, tokenizer, config, observer, PREFILL_FIRST);
    }

    /** As the public constructor, with prefill first on or off (tests check both). */
    Scheduler(ModelRunner runner, Tokenizer tokenizer, SchedulerConfig config, SchedulerObserver observer, boolean prefillFirst) {
        this.prefillFirst = prefillFirst;
        this.runner = runner;
        this.info = runner.info();
        this.tokenizer = tokenizer;
        this.config = config;
        this.observer = observer;
        this.cache = runner.allocateKvCache(config.kvBlocks(), config.blockSize());
        this.context = (int) Math.min(info.maxSequenceLength(), config.capacityTokens());
        this.vocab = info.vocabSize();
        this.stepLogits = Tensor.allocate(Arena.ofAuto(), DType.F32, config.maxBatch(), vocab);
        this.scores = new float[vocab];
        this.prefixes = new PrefixCache(cache.sharesBlocks() ? config.maxBatch() : 0);
        this.blockMarks = new int[config.kvBlocks()];
    }

    /** The longest sequence (prompt + output) a request may reach: the model's context, within the cache. */
    public int context() {
        return context;
    }

    public ModelInfo info() {
        return info;
    }

    /**
     * Queues a request.
     *
     * @throws QueueFullException if {@code maxQueue} requests already wait, or the scheduler is shutting down
     * @throws IllegalArgumentException if prompt and {@code maxNewTokens} exceed {@link #context()}
     */
    public Submission submit(SequenceRequest request) throws QueueFullException {
        int prompt = request.promptIds().length;
        if ((long) prompt + request.params().maxNewTokens() > context) {
            throw new IllegalArgumentException("prompt (" + prompt + " tokens) + max_tokens (" + request.params().maxNewTokens()
                    + ") exceeds the context of " + context + " tokens");
        }
        if (!accepting) {
            throw new QueueFullException("the server is shutting down", true);
        }
        if (pending.incrementAndGet() > config.maxQueue()) {
            pending.decrementAndGet();
            throw new QueueFullException("the queue is full (" + config.maxQueue() + " requests waiting)", false);
        }
        Sampler sampler = new Sampler(request.params(), vocab);
        sampler.observePrompt(request.promptIds());
        StreamingDecoder decoder = tokenizer.streamingDecoder(true);
        for (int id : request.promptIds()) {
            decoder.next(id);
        }
        int[] stopIds = java.util.stream.IntStream.concat(request.params().stopTokenIds().stream().mapToInt(Integer::intValue),
                info.eosTokenIds().stream().mapToInt(Integer::intValue)).distinct().toArray();
        Sequence sequence = new Sequence(request, sampler, decoder, System.nanoTime(), stopIds);
        incoming.add(sequence);
        wake();
        return new Submission(sequence, this);
    }

    // ---- the step ----------------------------------------------------------------------------------------

    /** Whether a step would do anything. */
    public boolean idle() {
        return incoming.isEmpty() && waiting.isEmpty() && running.isEmpty();
    }

    /**
     * One step (step thread only).
     *
     * @return true if the runner is paused — its assembly cannot be met until a candidate returns (it throws
     *         {@link UnresolvedException} having done nothing) — so the step fed nothing and the sequences wait,
     *         to be fed by a later step; false otherwise
     */
    public boolean step() {
        for (Sequence s; (s = incoming.poll()) != null; ) {
            waiting.addLast(s);
        }
        dropCancelled();
        admit();
        Set<Sequence> deferred = shareCachedPrefixes();
        List<Sequence> decoders = makeRoomForDecodes();
        int budget = config.stepTokens() - decoders.size();
        List<Sequence> fed = new ArrayList<>(decoders);     // the step's requests, in order: decodes, then chunks
        List<StepRequest> requests = new ArrayList<>();
        for (Sequence s : decoders) {
            requests.add(new StepRequest(new int[] {s.token(s.length() - 1)}, s.table, true));
        }
        int wanted = 0;                      // blocks the decodes and every prompt's rest need: reclaim cached ones
        for (Sequence s : running) {
            wanted += blocksFor(s.length()) - s.table.blockCount() + (s.tailShared ? 1 : 0);
        }
        prefixes.reclaim(cache, wanted);
        int free = cache.freeBlocks();       // what prompt chunks may take: the decodes' new blocks come first
        for (Sequence s : decoders) {
            free -= blocksFor(s.fed() + 1) - s.table.blockCount() + (s.tailShared ? 1 : 0);
        }
        for (Sequence s : running) {
            if (budget == 0 || requests.size() == config.maxBatch()) {
                break;
            }
            if (s.decoding() || s.unfed() == 0 || deferred.contains(s)) {
                continue;
            }
            int copy = s.tailShared ? 1 : 0;     // a shared block it writes into is copied first
            int room = s.table.blockCount() * config.blockSize() + (free - copy) * config.blockSize() - s.fed();
            int n = Math.min(Math.min(s.unfed(), budget), room);
            if (n <= 0) {
                continue;
            }
            free -= blocksFor(s.fed() + n) - s.table.blockCount() + copy;
            budget -= n;
            // the chunk that completes the sequence wants its last logits: they give the next token
            requests.add(new StepRequest(s.slice(s.fed(), n), s.table, n == s.unfed()));
            fed.add(s);
        }
        // prefill first: the chunks that complete a prompt run as a call of their own ahead of the decodes, and
        // their first tokens go out before the decodes' call starts (see PREFILL_FIRST)
        int first = prefillFirst && !decoders.isEmpty() ? completingChunksFirst(fed, requests) : 0;
        boolean paused = false;
        int[] bounds = first > 0 ? new int[] {0, first, requests.size()} : new int[] {0, requests.size()};
        for (int p = 0; p + 1 < bounds.length && bounds[p + 1] > bounds[p]; p++) {
            int from = bounds[p];
            int to = bounds[p + 1];
            try {
                runner.step(cache, requests.subList(from, to), stepLogits.slice(0, 0, to - from));   // [to - from, vocab]
            } catch (UnresolvedException e) {
                paused = true;               // nothing of this call was fed: its requests go again once the runner resumes
                break;
            } catch (RuntimeException e) {
                failAll(e);
                runningCount = 0;
                return false;
            }
            int chunkTokens = 0;
            for (int r = from; r < to; r++) {
                Sequence s = fed.get(r);
                s.tailShared = false;        // it wrote: the block it writes to is its own now
                if (!decoders.contains(s)) {
                    chunkTokens += requests.get(r).tokens().length;
                }
            }
            if (chunkTokens > 0) {
                observer.prefilled(chunkTokens);
            }
            for (int r = from; r < to; r++) {
                if (requests.get(r).wantsLogits()) {
                    sample(fed.get(r), stepLogits, r - from);
                }
            }
            if (to < requests.size()) {
                delivery.endStep();          // the first tokens leave now, while the decodes' call runs
            }
        }
        runningCount = running.size();
        cachedBlocks = onlyCachedBlocks();
        observer.stepEnded(waiting.size(), running.size(), config.kvBlocks() - freeBlocks(), freeBlocks());
        if (paused) {
            observer.paused();
        }
        return paused;
    }

    /**
     * Moves the prompt chunks whose logits are wanted (each completes its prompt: its first token follows) to the
     * front of the step's requests, keeping their order and the others', and returns how many there are.
     */
    private static int completingChunksFirst(List<Sequence> fed, List<StepRequest> requests) {
        List<Sequence> fedFirst = new ArrayList<>();
        List<StepRequest> first = new ArrayList<>();
        List<Sequence> fedRest = new ArrayList<>();
        List<StepRequest> rest = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            StepRequest q = requests.get(r);
            boolean completing = q.wantsLogits() && !fed.get(r).decoding();
            (completing ? fedFirst : fedRest).add(fed.get(r));
            (completing ? first : rest).add(q);
        }
        if (first.isEmpty()) {
            return 0;
        }
        fed.clear();
        fed.addAll(fedFirst);
        fed.addAll(fedRest);
        requests.clear();
        requests.addAll(first);
        requests.addAll(rest);
        return first.size();
    }

    private void dropCancelled() {
        for (Iterator<Sequence> it = waiting.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.cancelled()) {
                it.remove();
                pending.decrementAndGet();
                finish(s, Completion.Outcome.CANCELLED);
            }
        }
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.cancelled()) {
                it.remove();
                finish(s, Completion.Outcome.CANCELLED);
            }
        }
    }

    /** Admits waiting requests, oldest first, while the batch has room and free blocks cover their prompts. */
    private void admit() {
        int promised = 0;        // blocks admitted sequences will still take to finish their prefill
        for (Sequence s : running) {
            if (!s.decoding()) {
                promised += blocksFor(s.length() + 1) - s.table.blockCount();
            }
        }
        while (!waiting.isEmpty() && running.size() < config.maxBatch()) {
            Sequence s = waiting.peekFirst();
            int needed = blocksFor(s.length() + 1);
            prefixes.reclaim(cache, promised + needed);
            if (cache.freeBlocks() - promised < needed) {
                break;           // first come, first served: a later, smaller request does not overtake
            }
            waiting.removeFirst();
            pending.decrementAndGet();
            s.table = cache.newSequence();
            running.add(s);
            runningCount = running.size();
            promised += needed;
        }
    }

    /**
     * Gives each running sequence whose cache is still empty the longest prefix of its tokens (all but the last,
     * whose logits are needed) that a running sequence has fed or the prefix cache holds, by forking that table.
     * A sequence for which an earlier one is prefilling a longer common prefix — more than half its tokens —
     * waits this step (returned), to fork it next step rather than compute it a second time.
     */
    private Set<Sequence> shareCachedPrefixes() {
        if (!cache.sharesBlocks()) {
            return Set.of();
        }
        Set<Sequence> deferred = new HashSet<>();
        for (int i = 0; i < running.size(); i++) {
            Sequence s = running.get(i);
            int limit = s.length() - 1;
            if (s.fed() != 0 || limit <= 0) {
                continue;
            }
            int best = 0;
            BlockTable from = null;
            Sequence donor = null;
            for (Sequence r : running) {
                if (r != s && r.fed() > 0) {
                    int common = s.commonPrefix(r::token, Math.min(r.fed(), limit));
                    if (common > best) {
                        best = common;
                        from = r.table;
                        donor = r;
                    }
                }
            }
            for (PrefixCache.Entry e : prefixes.entries()) {
                int[] tokens = e.tokens();
                int common = s.commonPrefix(j -> tokens[j], Math.min(e.length(), limit));
                if (common > best) {
                    best = common;
                    from = e.table();
                    donor = null;
                }
            }
            if (awaitsPrefill(s, i, limit, best, deferred)) {
                deferred.add(s);
                continue;
            }
            if (best == 0) {
                continue;
            }
            s.table.release();                               // empty: nothing fed yet
            s.table = from.fork(best);
            s.tailShared = best % config.blockSize() != 0;
            if (donor != null && donor.fed() % config.blockSize() != 0
                    && donor.fed() / config.blockSize() == (best - 1) / config.blockSize()) {
                donor.tailShared = true;                     // its next token goes into the block now shared
            }
        }
        return deferred;
    }

    /** Whether a sequence admitted before {@code s} (index i) is prefilling a common prefix longer than best and than half of s. */
    private boolean awaitsPrefill(Sequence s, int i, int limit, int best, Set<Sequence> deferred) {
        for (int j = 0; j < i; j++) {
            Sequence r = running.get(j);
            if (deferred.contains(r) || r.decoding() || r.unfed() == 0) {
                continue;
            }
            int common = s.commonPrefix(r::token, Math.min(r.length(), limit));
            if (common > best && common * 2 > limit) {
                return true;
            }
        }
        return false;
    }

    /** Blocks that only the prefix cache holds: none of the running sequences' tables has them. */
    private int onlyCachedBlocks() {
        if (prefixes.isEmpty()) {
            return 0;
        }
        // every step: marks in a reused [kvBlocks] array, not sets of boxed block ids
        int held = ++blockStamp;
        int cached = ++blockStamp;
        for (Sequence s : running) {
            for (int b : s.table.blocks()) {
                if (b >= blockMarks.length) {
                    blockMarks = java.util.Arrays.copyOf(blockMarks, b + 1);     // ids beyond the count: not ours to assume
                }
                blockMarks[b] = held;
            }
        }
        int count = 0;
        for (PrefixCache.Entry e : prefixes.entries()) {
            for (int b : e.table().blocks()) {
                if (b >= blockMarks.length) {
                    blockMarks = java.util.Arrays.copyOf(blockMarks, b + 1);
                }
                if (blockMarks[b] != held && blockMarks[b] != cached) {
                    blockMarks[b] = cached;
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The sequences that decode this step, with a block for each one's new token: while the free blocks do not
     * cover them, the most recently admitted sequence is preempted (blocks freed, queued first for recompute).
     */
    private List<Sequence> makeRoomForDecodes() {
        while (true) {
            List<Sequence> decoders = new ArrayList<>();
            int needed = 0;
            for (Sequence s : running) {
                if (s.decoding()) {
                    decoders.add(s);
                    needed += blocksFor(s.fed() + 1) - s.table.blockCount() + (s.tailShared ? 1 : 0);
                }
            }
            prefixes.reclaim(cache, needed);
            if (needed <= cache.freeBlocks()) {
                return decoders;
            }
            Sequence victim = running.removeLast();
            victim.table.release();
            victim.table = null;
            if (running.isEmpty()) {
                // alone and still no room: cannot happen while submit bounds prompt + max_tokens by the cache
                finish(victim, Completion.Outcome.LENGTH);
            } else {
                waiting.addFirst(victim);
                pending.incrementAndGet();
                observer.preempted();
            }
        }
    }

    private void sample(Sequence s, Tensor logits, int row) {
        MemorySegment.copy(logits.segment(), F32_LE, (long) row * vocab * Float.BYTES, scores, 0, vocab);
        int token = s.sampler.sample(scores);
        s.append(token);
        SequenceListener listener = s.request.listener();
        long now = System.nanoTime();
        boolean first = s.generated() == 1;
        long latency = now - (first ? s.submittedNanos : s.lastTokenNanos);
        delivery.post(() -> {
            listener.token(token);
            observer.token(first, latency);
        });
        s.lastTokenNanos = now;
        if (s.isStopToken(token)) {
            finishRunning(s, Completion.Outcome.STOP);
            return;
        }
        emit(s, s.stops.push(s.decoder.next(token)));
        if (s.stops.stopped()) {
            finishRunning(s, Completion.Outcome.STOP);
        } else if (s.generated() >= s.request.params().maxNewTokens() || s.length() - 1 >= context) {
            finishRunning(s, Completion.Outcome.LENGTH);
        }
    }

    private void finishRunning(Sequence s, Completion.Outcome outcome) {
        running.remove(s);
        finish(s, outcome);
    }

    /** Ends a sequence no longer in {@code running} or {@code waiting}: flushes its text, frees its blocks, tells its listener. */
    private void finish(Sequence s, Completion.Outcome outcome) {
        if (outcome != Completion.Outcome.CANCELLED && !s.stops.stopped()) {
            // the decoder may hold an incomplete character, the stop filter a possible stop-string beginning
            emit(s, s.stops.push(s.decoder.flush()));
            if (s.stops.stopped()) {
                outcome = Completion.Outcome.STOP;
            } else {
                emit(s, s.stops.flush());
            }
        }
        if (outcome == Completion.Outcome.CANCELLED || s.table == null) {
            release(s);
        } else {
            prefixes.retain(s.tokens(), s.fed(), s.table);     // its prefix may serve a later request
            s.table = null;
        }
        Completion completion = new Completion(outcome, s.promptLength, s.generated(), s.text());
        SequenceListener listener = s.request.listener();
        delivery.post(() -> listener.finished(completion));
    }

    /** Adds a final piece to the sequence's text and hands it to its listener. */
    private void emit(Sequence s, String piece) {
        if (!piece.isEmpty()) {
            s.appendText(piece);
            SequenceListener listener = s.request.listener();
            delivery.post(() -> listener.text(piece));
        }
    }

    private void release(Sequence s) {
        if (s.table != null) {
            s.table.release();
            s.table = null;
        }
    }

    /** The model failed: every running sequence fails (its blocks freed); waiting ones stay queued. */
    private void failAll(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = message.lines().findFirst().orElse(message);
        for (Sequence s : running) {
            release(s);
            SequenceListener listener = s.request.listener();
            delivery.post(() -> listener.failed(line));
        }
        running.clear();
        prefixes.clear();        // a failed step may have left any block half-written
    }

    private int blocksFor(int tokens) {
        return (tokens + config.blockSize() - 1) / config.blockSize();
    }

    // ---- the step thread -----------------------------------------------------------------------------------

    /** Runs steps on a thread of its own until {@link #shutdown}. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        delivery.start("tttv2-step-events");
        thread = Thread.ofPlatform().name("tttv2-step-loop").daemon(true).start(this::loop);
    }

    private void loop() {
        while (true) {
            synchronized (signal) {
                while (!stopping && idle()) {
                    try {
                        signal.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (stopping) {
                cancelAll();
                delivery.endStep();
                return;
            }
            boolean paused = step();
            delivery.endStep();
            if (paused) {
                try {
                    Thread.sleep(PAUSED_RETRY_MILLIS);      // a hot-swap is under way; try again shortly
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Cancels everything that is left (step thread). */
    private void cancelAll() {
        for (Sequence s; (s = incoming.poll()) != null; ) {
            waiting.addLast(s);
        }
        for (Sequence s : waiting) {
            finish(s, Completion.Outcome.CANCELLED);
        }
        waiting.clear();
        for (Sequence s : running) {
            finish(s, Completion.Outcome.CANCELLED);
        }
        running.clear();
        prefixes.clear();
        runningCount = 0;
        pending.set(0);
    }

    /** Requests queued or running, as last seen (any thread; approximate). */
    public int load() {
        return pending.get() + runningCount;
    }

    /**
     * Stops accepting requests, lets those queued or running finish until {@code deadline}, then cancels the
     * rest and stops the step thread.
     */
    public void shutdown(Duration deadline) throws InterruptedException {
        accepting = false;
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end && load() > 0) {
            Thread.sleep(20);
        }
        stopping = true;
        wake();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join();
        } else {
            cancelAll();
        }
        delivery.close();          // the events of the last steps and of the cancellations reach their listeners
    }

    /** Frees the KV cache (after {@link #shutdown}) and stops the delivery thread if shutdown did not. */
    @Override
    public void close() {
        try {
            delivery.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
    }

    /** Requests waiting for admission (any thread). */
    public int waiting() {
        return pending.get();
    }

    /** Sequences admitted, as of the last step (any thread). */
    public int running() {
        return runningCount;
    }

    /** KV blocks in the cache. */
    public int blocks() {
        return config.kvBlocks();
    }

    /** KV blocks free, counting those only cached prefixes hold, which are reclaimed on demand (any thread; as last seen). */
    public int freeBlocks() {
        return cache.freeBlocks() + cachedBlocks;
    }
}
