package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.runner.DryRun;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A checkpoint and an encoder–decoder's description → a running {@link Seq2SeqRunner}, or its {@link DryRun}. */
public final class EncoderDecoderRunners {

    private EncoderDecoderRunners() {
    }

    /**
     * As {@link DecoderRunners#runner}: checks the checkpoint, resolves the assembly, fixes the device and builds
     * the modules. The runner owns {@code checkpoint} from here; on failure the caller closes it.
     */
    public static EncoderDecoderRunner runner(EncoderDecoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                              Assembly assembly, RunnerOptions options) {
        return runner(model, checkpoint, resolver, assembly, options, null);
    }

    /**
     * As {@link #runner(EncoderDecoderModel, Checkpoint, ModuleResolver, Assembly, RunnerOptions)}, each module's
     * config consulting {@code table} once as it is built.
     *
     * @param table the specialization registry; null for none
     */
    public static EncoderDecoderRunner runner(EncoderDecoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                              Assembly assembly, RunnerOptions options, Specializations table) {
        Prepared p = prepare(model, checkpoint, assembly, options, table);
        BoundModel<EncoderDecoderModules> bound = BoundModel.resolve(resolver, assembly, p.kinds(), p.builder()::build);
        return new Seq2SeqRunner(p.info(), model.plan(), bound.device(), bound.modules(), checkpoint, options.maxBatch());
    }

    /**
     * As {@link DecoderRunners#dryRun}: everything {@link #runner} does short of building a module, from the
     * checkpoint's headers alone, with the decoder's KV cache sized for {@code maxBatch} sequences of the full
     * context. Workspaces: the decoder's as {@link Workspaces} counts them, the encoder's as {@link EncoderWorkspaces}
     * (one request of the encoder's full length; a request is encoded alone).
     *
     * @throws ModelLoadException naming the tensor and the shapes, or the kind without an acceptable candidate
     */
    public static DryRun dryRun(EncoderDecoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                Assembly assembly, RunnerOptions options, Specializations table) {
        // no weight cache: filling it would read the tensors a dry run must not touch
        Prepared p = prepare(model, checkpoint, assembly, options.withWeightCache(null), table);
        EncoderRunners.Planned planned = EncoderRunners.Planned.resolve(resolver, assembly, p.kinds());
        EncoderDecoderModules modules = p.builder().build(PlannedFactories.of(planned.resolution(), planned.device()));
        Map<String, Module> decoder = new LinkedHashMap<>(modules.modules());
        decoder.keySet().removeAll(modules.encoder().modules().keySet());
        Map<String, Long> workspaces = new LinkedHashMap<>(
                EncoderWorkspaces.of(modules.encoder().modules(), 1, model.plan().encoder().maxPositions()));
        workspaces.putAll(Workspaces.of(decoder));
        KvCacheSpec kv = p.info().kvCache();
        KvCacheSpec sized = kv.withBlocks(kv.blockSize(), options.maxBatch() * kv.blocksFor(p.info().maxSequenceLength()));
        return new DryRun(p.info(), modules.modules(), modules.specializations(), sized, workspaces);
    }

    private record Prepared(ModelInfo info, Set<ModuleKind> kinds, EncoderDecoderBuilder builder) {
    }

    private static Prepared prepare(EncoderDecoderModel model, Checkpoint checkpoint, Assembly assembly,
                                    RunnerOptions options, Specializations table) {
        EncoderDecoderPlan plan = model.plan();
        Map<String, long[]> expected = EncoderDecoderExpectedWeights.of(plan);
        WeightMapping mapping = model.mapping().forCheckpoint(checkpoint.names());
        CheckpointCheck.check(plan.architecture(), Set.of(), checkpoint, mapping, expected);
        String head = (plan.tiedHead() ? EncoderDecoderModules.EMBED_TOKENS : EncoderDecoderModules.LM_HEAD) + ".weight";
        Weights weights = EncoderRunners.quantized(new MappedWeights(new CheckpointWeights(checkpoint), mapping, expected),
                expected.keySet(), checkpoint, options, head);

        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), plan.maxPositions()) : plan.maxPositions();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Set<ModuleKind> kinds = EncoderDecoderPlanVariants.kinds(plan);
        EncoderDecoderBuilder builder = new EncoderDecoderBuilder(plan, weights, mapping, config, maxSeq, assembly, table);
        AttentionSpec attention = plan.layers().get(0).selfAttention();
        ModelInfo info = new ModelInfo(plan.architecture(), plan.lmHead().vocab(), plan.hidden(), plan.layers().size(),
                maxSeq, plan.eosTokenIds(), KvCacheSpec.forHeads(plan.layers().size(), attention.kvHeads(), attention.headDim(),
                KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        return new Prepared(info, kinds, builder);
    }

    static Assembly assembly(Assembly shipped, Assembly override, EncoderDecoderPlan plan) {
        return ModelAssembly.of(shipped, override, plan.architecture(), plan.parameterDType(),
                EncoderDecoderPlanVariants.kinds(plan), kind -> EncoderDecoderPlanVariants.of(kind, plan));
    }
}
