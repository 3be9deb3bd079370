package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
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
        // --quantize: the linear weight matrices change format here, once each, as modules first read them
        Weights weights = QuantizedLinearWeights.over(new MappedWeights(new CheckpointWeights(checkpoint), mapping, expected),
                options.quantize(), plan.tiedHead());
        // --weight-cache: those matrices quantised once, then mapped from the cache by later loads
        weights = CachedLinearWeights.over(weights, expected.keySet(), checkpoint, options.quantize(), plan.tiedHead(),
                options.weightCache(), System.err::println);

        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), plan.maxPositions()) : plan.maxPositions();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Set<ModuleKind> kinds = PlanVariants.kinds(plan);
        DecoderBuilder builder = new DecoderBuilder(plan, weights, mapping, config, maxSeq);
        BoundModel<DecoderModules> bound = BoundModel.resolve(resolver, assembly, kinds, builder::build);

        ModelInfo info = new ModelInfo(plan.architecture(), plan.vocab(), plan.hidden(), plan.layers().size(), maxSeq,
                plan.eosTokenIds(), plan.kvCache());
        return new DecoderOnlyRunner(info, bound.device(), bound.modules(), checkpoint, options.maxBatch());
    }
}
