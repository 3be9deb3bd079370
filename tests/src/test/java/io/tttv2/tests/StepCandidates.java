package io.tttv2.tests;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.tensor.Tensor;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A {@link FactoryDecorator} that records which attention candidate ran each step on each thread: every
 * attention module the resolver's factories build is wrapped in one that adds its candidate ("name
 * version") to the calling thread's set. A step whose set holds more than one candidate was rebound in its
 * middle. Registered as a service by the test, as a validation tool would be; the model does nothing to
 * opt in.
 */
public final class StepCandidates implements FactoryDecorator {

    private static final ThreadLocal<Set<String>> STEP = ThreadLocal.withInitial(LinkedHashSet::new);

    /** Clears the calling thread's record: call before a step. */
    public static void startStep() {
        STEP.get().clear();
    }

    /** The candidates whose attention ran on this thread since {@link #startStep()}. */
    public static Set<String> step() {
        return Set.copyOf(STEP.get());
    }

    @Override
    public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
        if (type != AttentionFactory.class) {
            return factory;
        }
        AttentionFactory inner = (AttentionFactory) factory;
        String tag = candidate.name() + " " + candidate.version();
        return type.cast((AttentionFactory) (spec, config, weights, rotary, backend, layer, device) ->
                new Tagged(inner.create(spec, config, weights, rotary, backend, layer, device), tag));
    }

    /** Computes with the module it wraps; records its candidate on the calling thread. */
    private record Tagged(Attention inner, String tag) implements Attention {

        @Override
        public int layer() {
            return inner.layer();
        }

        @Override
        public void prefill(Tensor x, PrefillStep step, Tensor out) {
            STEP.get().add(tag);
            inner.prefill(x, step, out);
        }

        @Override
        public void decode(Tensor x, DecodeStep step, Tensor out) {
            STEP.get().add(tag);
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
