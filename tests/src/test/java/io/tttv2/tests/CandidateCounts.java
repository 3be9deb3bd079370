package io.tttv2.tests;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.tensor.Tensor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FactoryDecorator} that counts, over all threads, the attention calls of each candidate ("name
 * version"): for a server, whose steps run on its own thread, which candidates the steps bound.
 */
public final class CandidateCounts implements FactoryDecorator {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** Attention calls of {@code candidate} so far. */
    public int calls(String candidate) {
        AtomicInteger n = calls.get(candidate);
        return n == null ? 0 : n.get();
    }

    @Override
    public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
        if (type != AttentionFactory.class) {
            return factory;
        }
        AttentionFactory inner = (AttentionFactory) factory;
        AtomicInteger counter = calls.computeIfAbsent(candidate.name() + " " + candidate.version(), k -> new AtomicInteger());
        return type.cast((AttentionFactory) (spec, config, weights, rotary, backend, layer, device) ->
                new Counted(inner.create(spec, config, weights, rotary, backend, layer, device), counter));
    }

    /** Computes with the module it wraps; counts each call. */
    private record Counted(Attention inner, AtomicInteger counter) implements Attention {

        @Override
        public int layer() {
            return inner.layer();
        }

        @Override
        public void prefill(Tensor x, PrefillStep step, Tensor out) {
            counter.incrementAndGet();
            inner.prefill(x, step, out);
        }

        @Override
        public void decode(Tensor x, DecodeStep step, Tensor out) {
            counter.incrementAndGet();
            inner.decode(x, step, out);
        }

        @Override
        public String candidate() {
            return inner.candidate();
        }

        @Override
        public Record spec() {
            return inner.spec();
        }

        @Override
        public Record config() {
            return inner.config();
        }
    }
}
