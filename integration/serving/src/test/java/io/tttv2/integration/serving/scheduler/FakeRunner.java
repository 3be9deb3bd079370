package io.tttv2.integration.serving.scheduler;

import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheFullException;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Module;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.runner.StepRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A runner for scheduler tests: its cache keeps each sequence's tokens instead of keys and values, and the
 * logits after a sequence peak on the token {@code next} picks from everything the cache holds — so the output
 * depends on the whole history, and a wrongly fed or lost token changes it. Records the rows of every call; a
 * row whose logits a step does not want gets none (all zeros), so sampling it would show.
 */
final class FakeRunner implements ModelRunner {

    private final ModelInfo info;
    private final ToIntFunction<int[]> next;
    final List<int[]> prefillCalls = new ArrayList<>();   // per prefill call: the chunk length of each row
    final List<Integer> decodeCalls = new ArrayList<>();  // per decode call: its batch size
    final List<int[]> stepCalls = new ArrayList<>();      // per mixed step: the token count of each request
    Cache cache;
    int pausedCalls;    // calls still to refuse as a runner whose assembly cannot be met does: having done nothing

    FakeRunner(int vocab, int context, int eos, ToIntFunction<int[]> next) {
        this.info = new ModelInfo("FakeForCausalLM", vocab, 4, 1, context, List.of(eos),
                KvCacheSpec.forHeads(1, 1, 4, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        this.next = next;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public PagedKvCache allocateKvCache(int blocks, int blockSize) {
        cache = new Cache(blocks, blockSize);
        return cache;
    }

    @Override
    public void prefill(PagedKvCache c, List<PrefillRequest> requests, Tensor lastLogits) {
        refuseWhilePaused();
        checkRows(lastLogits, requests.size());
        int[] rows = new int[requests.size()];
        for (int r = 0; r < rows.length; r++) {
            Table t = (Table) requests.get(r).table();
            int[] tokens = requests.get(r).tokens();
            rows[r] = tokens.length;
            t.reserve(t.length + tokens.length);
            for (int token : tokens) {
                t.tokens[t.length++] = token;
            }
            logits(t, lastLogits, r);
        }
        prefillCalls.add(rows);
    }

    @Override
    public void decode(PagedKvCache c, int[] tokens, BlockTable[] tables, Tensor logits) {
        refuseWhilePaused();
        checkRows(logits, tokens.length);
        decodeCalls.add(tokens.length);
        for (int b = 0; b < tokens.length; b++) {
            Table t = (Table) tables[b];
            t.reserve(t.length + 1);
            t.tokens[t.length++] = tokens[b];
            logits(t, logits, b);
        }
    }

    @Override
    public void step(PagedKvCache c, List<StepRequest> requests, Tensor logits) {
        refuseWhilePaused();
        checkRows(logits, requests.size());
        int[] rows = new int[requests.size()];
        for (int r = 0; r < rows.length; r++) {
            StepRequest request = requests.get(r);
            Table t = (Table) request.table();
            rows[r] = request.tokens().length;
            t.reserve(t.length + rows[r]);
            for (int token : request.tokens()) {
                t.tokens[t.length++] = token;
            }
            if (request.wantsLogits()) {
                logits(t, logits, r);
            } else {
                logits.slice(0, r, 1).copyFrom(new float[info.vocabSize()]);   // no peak: sampling it would be caught
            }
        }
        stepCalls.add(rows);
    }

    /** As the real runners check: the logits tensor is exactly [rows, vocab]. */
    private void checkRows(Tensor logits, int rows) {
        if (logits.dim(0) != rows || logits.dim(1) != info.vocabSize()) {
            throw new IllegalArgumentException("logits has shape " + Arrays.toString(logits.shape()) + ", expected ["
                    + rows + ", " + info.vocabSize() + "]");
        }
    }

    private void refuseWhilePaused() {
        if (pausedCalls > 0) {
            pausedCalls--;
            throw new UnresolvedException("paused: no candidate for attention meets name test, version [1.0,2)");
        }
    }

    private void logits(Table t, Tensor logits, int row) {
        float[] values = new float[info.vocabSize()];
        values[next.applyAsInt(Arrays.copyOf(t.tokens, t.length))] = 5f;
        logits.slice(0, row, 1).copyFrom(values);
    }

    @Override
    public Map<String, Module> modules() {
        return Map.of();
    }

    @Override
    public void close() {
    }

    static final class Cache implements PagedKvCache {
        final int blocks;
        final int blockSize;
        int free;

        Cache(int blocks, int blockSize) {
            this.blocks = blocks;
            this.blockSize = blockSize;
            this.free = blocks;
        }

        @Override
        public KvCacheSpec spec() {
            return KvCacheSpec.forHeads(1, 1, 4, blockSize, blocks, DType.F32);
        }

        @Override
        public Tensor keys(int layer) {
            throw new UnsupportedOperationException("tokens only");
        }

        @Override
        public Tensor values(int layer) {
            throw new UnsupportedOperationException("tokens only");
        }

        @Override
        public BlockTable newSequence() {
            return new Table(this);
        }

        @Override
        public int freeBlocks() {
            return free;
        }

        @Override
        public void close() {
        }
    }

    static final class Table implements BlockTable {
        private final Cache cache;
        int[] tokens = new int[0];
        int length;
        int held;

        Table(Cache cache) {
            this.cache = cache;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void setLength(int n) {
            length = n;
        }

        @Override
        public void reserve(int n) {
            int needed = (n + cache.blockSize - 1) / cache.blockSize;
            if (needed > held) {
                if (needed - held > cache.free) {
                    throw new KvCacheFullException("needs " + (needed - held) + " blocks, " + cache.free + " free");
                }
                cache.free -= needed - held;
                held = needed;
                tokens = Arrays.copyOf(tokens, held * cache.blockSize);
            }
        }

        @Override
        public int blockCount() {
            return held;
        }

        @Override
        public int block(int i) {
            return i;
        }

        @Override
        public int[] blocks() {
            return new int[held];
        }

        @Override
        public void release() {
            cache.free += held;
            held = 0;
            length = 0;
        }
    }
}
