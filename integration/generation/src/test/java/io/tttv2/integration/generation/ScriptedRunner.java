package io.tttv2.integration.generation;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheFullException;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Module;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A model runner for tests: its "KV cache" stores the tokens themselves, and the logits after a sequence
 * put {@link #PEAK} on the token a script chooses from the sequence so far (0 elsewhere). It records every
 * prefill and decode, so tests can see what went through the model and what the cache holds.
 */
final class ScriptedRunner implements ModelRunner {

    static final float PEAK = 10f;

    private final ModelInfo info;
    private final ToIntFunction<int[]> script;
    final List<int[]> prefills = new ArrayList<>();   // the tokens of every prefill request
    final List<int[]> afterPrefill = new ArrayList<>();  // what the sequence held after each prefill
    final List<TokenCache> caches = new ArrayList<>();
    int decodeSteps;

    /** @param script the next token after a sequence (all tokens in the cache, oldest first) */
    ScriptedRunner(int vocabSize, int context, List<Integer> eosTokenIds, ToIntFunction<int[]> script) {
        this.info = new ModelInfo("ScriptedForCausalLM", vocabSize, 8, 1, context, eosTokenIds,
                KvCacheSpec.forHeads(1, 1, 8, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        this.script = script;
    }

    /** A script that continues with {@code sequence[position]}: the same text whatever the prompt's length. */
    static ToIntFunction<int[]> following(int[] sequence, int afterEnd) {
        return seen -> seen.length < sequence.length ? sequence[seen.length] : afterEnd;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public PagedKvCache allocateKvCache(int blocks, int blockSize) {
        TokenCache cache = new TokenCache(blocks, blockSize);
        caches.add(cache);
        return cache;
    }

    @Override
    public void prefill(PagedKvCache cache, List<PrefillRequest> requests, Tensor lastLogits) {
        for (int r = 0; r < requests.size(); r++) {
            PrefillRequest request = requests.get(r);
            prefills.add(request.tokens().clone());
            TokenTable table = (TokenTable) request.table();
            for (int token : request.tokens()) {
                table.append(token, info.maxSequenceLength());
            }
            afterPrefill.add(table.tokens());
            writeLogits(table.tokens(), lastLogits, r);
        }
    }

    @Override
    public void decode(PagedKvCache cache, int[] tokens, BlockTable[] tables, Tensor logits) {
        decodeSteps++;
        for (int b = 0; b < tokens.length; b++) {
            TokenTable table = (TokenTable) tables[b];
            table.append(tokens[b], info.maxSequenceLength());
            writeLogits(table.tokens(), logits, b);
        }
    }

    private void writeLogits(int[] sequence, Tensor logits, int row) {
        float[] values = new float[info.vocabSize()];
        values[script.applyAsInt(sequence)] = PEAK;
        logits.slice(0, row, 1).copyFrom(values);
    }

    @Override
    public Map<String, Module> modules() {
        return Map.of();
    }

    @Override
    public void close() {
    }

    /** A pool of blocks that stores each sequence's tokens instead of keys and values. */
    static final class TokenCache implements PagedKvCache {
        private final KvCacheSpec spec;
        private int free;
        boolean closed;

        TokenCache(int blocks, int blockSize) {
            this.spec = KvCacheSpec.forHeads(1, 1, 8, blockSize, blocks, DType.F32);
            this.free = blocks;
        }

        @Override
        public KvCacheSpec spec() {
            return spec;
        }

        @Override
        public Tensor keys(int layer) {
            throw new UnsupportedOperationException("the scripted runner keeps tokens, not keys");
        }

        @Override
        public Tensor values(int layer) {
            throw new UnsupportedOperationException("the scripted runner keeps tokens, not values");
        }

        @Override
        public BlockTable newSequence() {
            return new TokenTable(this);
        }

        @Override
        public int freeBlocks() {
            return free;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** One sequence: its tokens by position, in blocks drawn from its cache. */
    static final class TokenTable implements BlockTable {
        private final TokenCache cache;
        private int[] tokens = new int[0];
        private int length;
        private int blocks;

        TokenTable(TokenCache cache) {
            this.cache = cache;
        }

        void append(int token, int context) {
            if (length >= context) {
                throw new IllegalArgumentException("position " + length + " beyond the context of " + context);
            }
            reserve(length + 1);
            tokens[length] = token;
            setLength(length + 1);
        }

        /** The tokens in the cache, oldest first. */
        int[] tokens() {
            return Arrays.copyOf(tokens, length);
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void setLength(int n) {
            if (n < 0 || n > blocks * cache.spec.blockSize()) {
                throw new IllegalArgumentException("length " + n + " outside the reserved " + blocks * cache.spec.blockSize());
            }
            length = n;
        }

        @Override
        public void reserve(int n) {
            int needed = cache.spec.blocksFor(n);
            if (needed > blocks) {
                if (needed - blocks > cache.free) {
                    throw new KvCacheFullException("needs " + (needed - blocks) + " blocks, " + cache.free + " free");
                }
                cache.free -= needed - blocks;
                blocks = needed;
                tokens = Arrays.copyOf(tokens, blocks * cache.spec.blockSize());
            }
        }

        @Override
        public int blockCount() {
            return blocks;
        }

        @Override
        public int block(int i) {
            return i;
        }

        @Override
        public int[] blocks() {
            int[] ids = new int[blocks];
            Arrays.setAll(ids, i -> i);
            return ids;
        }

        @Override
        public void release() {
            cache.free += blocks;
            blocks = 0;
            length = 0;
        }
    }
}
