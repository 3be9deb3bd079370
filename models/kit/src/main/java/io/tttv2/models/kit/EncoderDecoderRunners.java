package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.util.Map;
import java.util.Set;

/** A checkpoint and an encoder–decoder's description → a running {@link Seq2SeqRunner}. */
public final class EncoderDecoderRunners {

    private EncoderDecoderRunners() {
    }

    /**
     * As {@link DecoderRunners#runner}: checks the checkpoint, resolves the assembly, fixes the device and builds
     * the modules. The runner owns {@code checkpoint} from here; on failure the caller closes it.
     */
    public static EncoderDecoderRunner runner(EncoderDecoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                              Assembly assembly, RunnerOptions options) {
        EncoderDecoderPlan plan = model.plan();
        Map<String, long[]> expected = EncoderDecoderExpectedWeights.of(plan);
        WeightMapping mapping = model.mapping().forCheckpoint(checkpoint.names());
        CheckpointCheck.check(plan.architecture(), Set.of(), checkpoint, mapping, expected);
        MappedWeights weights = new MappedWeights(new CheckpointWeights(checkpoint), mapping, expected);

        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), plan.maxPositions()) : plan.maxPositions();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Set<ModuleKind> kinds = EncoderDecoderPlanVariants.kinds(plan);
        EncoderDecoderBuilder builder = new EncoderDecoderBuilder(plan, weights, mapping, config);
        BoundModel<EncoderDecoderModules> bound = BoundModel.resolve(resolver, assembly, kinds, builder::build);
        AttentionSpec attention = plan.layers().get(0).selfAttention();
        ModelInfo info = new ModelInfo(plan.architecture(), plan.lmHead().vocab(), plan.hidden(), plan.layers().size(),
                maxSeq, plan.eosTokenIds(), KvCacheSpec.forHeads(plan.layers().size(), attention.kvHeads(), attention.headDim(),
                KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        return new Seq2SeqRunner(info, plan, bound.device(), bound.modules(), checkpoint, options.maxBatch());
    }

    static Assembly assembly(Assembly shipped, Assembly override, EncoderDecoderPlan plan) {
        return ModelAssembly.of(shipped, override, plan.architecture(), plan.parameterDType(),
                EncoderDecoderPlanVariants.kinds(plan), kind -> EncoderDecoderPlanVariants.of(kind, plan));
    }
}
