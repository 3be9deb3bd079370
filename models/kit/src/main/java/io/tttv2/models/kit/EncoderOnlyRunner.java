package io.tttv2.models.kit;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.modules.Module;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelInfo;
import java.util.Map;

/**
 * An encoder over a padded batch ({@link EncoderStack} is its script). An encoder runs once per batch, so its
 * tensors are allocated per call (the outputs are the caller's). Every call starts by asking its
 * {@link ModuleBinding} for the modules, the one place where implementations are swapped.
 */
public final class EncoderOnlyRunner implements EncoderRunner {

    private final ModelInfo info;
    private final EncoderPlan plan;
    private final EncoderStack stack;
    private final ModuleBinding<EncoderModules> binding;
    private final AutoCloseable weights;

    public EncoderOnlyRunner(ModelInfo info, EncoderPlan plan, Device device, ModuleBinding<EncoderModules> binding,
                             AutoCloseable weights) {
        this.info = info;
        this.plan = plan;
        this.stack = new EncoderStack(plan, device);
        this.binding = binding;
        this.weights = weights;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public boolean hasPooler() {
        return plan.pooler() != null;
    }

    @Override
    public EncoderOutput encode(EncoderBatch batch, boolean hiddenStates) {
        stack.check(batch, info.maxSequenceLength());
        EncoderModules m = binding.atStepBoundary();     // may throw "paused: ...": nothing done yet
        return stack.forward(m, batch, hiddenStates);
    }

    @Override
    public Map<String, Specialization> specializations() {
        return binding.current().specializations();
    }

    @Override
    public Map<String, Module> modules() {
        return binding.current().modules();
    }

    @Override
    public void close() {
        try {
            weights.close();
        } catch (Exception e) {
            // unmapping is best effort
        }
    }
}
