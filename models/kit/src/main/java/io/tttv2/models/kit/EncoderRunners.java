package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A checkpoint and an encoder's description → a running {@link EncoderOnlyRunner}. */
public final class EncoderRunners {

    private EncoderRunners() {
    }

    /**
     * As {@link DecoderRunners#runner}: checks the checkpoint against the plan, resolves the assembly, fixes the
     * device and builds the modules, rebuilt from the resolver at call boundaries when implementations change.
     * The runner owns {@code checkpoint} from here; on failure the caller closes it.
     */
    public static EncoderRunner runner(EncoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                       Assembly assembly, RunnerOptions options) {
        EncoderPlan plan = model.plan();
        Map<String, long[]> expected = EncoderExpectedWeights.of(plan);
        WeightMapping mapping = model.mapping().forCheckpoint(checkpoint.names());
        CheckpointCheck.check(plan.architecture(), Set.of(), checkpoint, mapping, expected);
        MappedWeights weights = new MappedWeights(new CheckpointWeights(checkpoint), mapping, expected);

        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), plan.maxPositions()) : plan.maxPositions();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Set<ModuleKind> kinds = EncoderPlanVariants.kinds(plan);
        EncoderBuilder builder = new EncoderBuilder(plan, weights, mapping, config);
        BoundModel<EncoderModules> bound = BoundModel.resolve(resolver, assembly, kinds, builder::build);
        ModelInfo info = new ModelInfo(plan.architecture(), plan.embedding().vocab(), plan.hidden(), plan.layers().size(),
                maxSeq, List.of(), null);
        return new EncoderOnlyRunner(info, plan, bound.device(), bound.modules(), checkpoint);
    }

    /** The assembly an encoder checkpoint runs with: shipped, override, and what the plan needs of each kind. */
    static Assembly assembly(Assembly shipped, Assembly override, EncoderPlan plan) {
        return ModelAssembly.of(shipped, override, plan.architecture(), plan.parameterDType(),
                EncoderPlanVariants.kinds(plan), kind -> EncoderPlanVariants.of(kind, plan));
    }
}
