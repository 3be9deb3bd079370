package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A checkpoint and a model's description → a running {@link DecoderOnlyRunner}. */
public final class DecoderRunners {

    private DecoderRunners() {
    }

    /**
     * Checks the checkpoint against the plan, resolves the assembly, fixes the device for the runner's life and
     * builds the modules; the runner rebuilds them from the resolver at step boundaries when implementations
     * change. The runner owns {@code checkpoint} from here (it closes it); on failure the caller does.
     *
     * @throws ModelLoadException naming the tensor and the shapes, or the kind without an acceptable candidate
     */
    public static ModelRunner runner(DecoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                     Assembly assembly, RunnerOptions options) {
        DecoderPlan plan = model.plan();
        Map<String, long[]> expected = ExpectedWeights.of(plan);
        WeightMapping mapping = model.mapping().forCheckpoint(checkpoint.names());   // with or without the base prefix
        CheckpointCheck.check(plan, checkpoint, mapping, expected);
        MappedWeights weights = new MappedWeights(new CheckpointWeights(checkpoint), mapping, expected);

        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), plan.maxPositions()) : plan.maxPositions();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Set<ModuleKind> kinds = PlanVariants.kinds(plan);
        Resolution first = resolver.resolve(assembly, kinds);
        Device device;
        try {
            device = first.factory(ModuleKind.DEVICE, Device.class);
            for (ModuleKind kind : kinds) {
                first.factory(kind, kind.serviceType());    // every kind resolved, or the first that is not, in one line
            }
        } catch (UnresolvedException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        Set<ModuleKind> rebindable = EnumSet.copyOf(kinds);
        rebindable.remove(ModuleKind.DEVICE);      // the KV cache lives in the device's memory: it stays
        DecoderBuilder builder = new DecoderBuilder(plan, weights, mapping, config, maxSeq);
        ModuleBinding<DecoderModules> binding = new ModuleBinding<>(resolver, assembly, rebindable, first,
                resolution -> builder.build(new ModuleFactorySet(resolution, device)));

        ModelInfo info = new ModelInfo(plan.architecture(), plan.vocab(), plan.hidden(), plan.layers().size(), maxSeq,
                plan.eosTokenIds(), plan.kvCache());
        return new DecoderOnlyRunner(info, device, binding, checkpoint, options.maxBatch());
    }
}
