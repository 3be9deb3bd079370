package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.DryRun;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
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
        return runner(model, checkpoint, resolver, assembly, options, null);
    }

    /**
     * As {@link #runner(DecoderModel, Checkpoint, ModuleResolver, Assembly, RunnerOptions)}, each module's config
     * consulting {@code table} once as it is built.
     *
     * @param table the specialization registry; null for none (every module runs its defaults and overrides)
     */
    public static ModelRunner runner(DecoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                     Assembly assembly, RunnerOptions options, Specializations table) {
        Prepared p = prepare(model, checkpoint, assembly, options, table);
        BoundModel<DecoderModules> bound = BoundModel.resolve(resolver, assembly, p.kinds(), p.builder()::build);
        return new DecoderOnlyRunner(p.info(), bound.device(), bound.modules(), checkpoint, options.maxBatch());
    }

    /**
     * Everything {@link #runner} does short of building a module: checks the checkpoint's headers against the
     * plan, resolves the assembly, computes every module's config and specialization (through stand-ins of the
     * chosen factories, {@link PlannedFactories}) and sizes the KV cache and the workspaces. Reads no tensor data,
     * so {@code checkpoint} may come from {@link Checkpoint#openHeaders}.
     *
     * @throws ModelLoadException naming the tensor and the shapes, or the kind without an acceptable candidate
     */
    public static DryRun dryRun(DecoderModel model, Checkpoint checkpoint, ModuleResolver resolver, Assembly assembly,
                                RunnerOptions options, Specializations table) {
        // no weight cache: filling it would read the tensor data a dry run must not touch
        Prepared p = prepare(model, checkpoint, assembly, options.withWeightCache(null), table);
        Resolution resolution = resolver.resolve(assembly, p.kinds());
        Device device;
        try {
            device = resolution.factory(ModuleKind.DEVICE, Device.class);
            for (ModuleKind kind : p.kinds()) {
                resolution.factory(kind, kind.serviceType());
            }
        } catch (UnresolvedException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        DecoderModules planned = p.builder().build(PlannedFactories.of(resolution, device));
        KvCacheSpec kv = p.info().kvCache();
        KvCacheSpec sized = kv == null ? null
                : kv.withBlocks(kv.blockSize(), options.maxBatch() * kv.blocksFor(p.info().maxSequenceLength()));
        return new DryRun(p.info(), planned.modules(), planned.specializations(), sized, Workspaces.of(planned.modules()));
    }

    private record Prepared(ModelInfo info, Set<ModuleKind> kinds, DecoderBuilder builder) {
    }

    private static Prepared prepare(DecoderModel model, Checkpoint checkpoint, Assembly assembly, RunnerOptions options,
                                    Specializations table) {
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
        DType kvDtype = KvDtypes.of(assembly);
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq))
                .withKvDtype(kvDtype);
        Set<ModuleKind> kinds = PlanVariants.kinds(plan);
        DecoderBuilder builder = new DecoderBuilder(plan, weights, mapping, config, maxSeq, assembly, table);
        ModelInfo info = new ModelInfo(plan.architecture(), plan.vocab(), plan.hidden(), plan.layers().size(), maxSeq,
                plan.eosTokenIds(), KvDtypes.holding(plan.kvCache(), kvDtype));
        return new Prepared(info, kinds, builder);
    }
}
