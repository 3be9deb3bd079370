package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.DryRun;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A checkpoint and an encoder's description → a running {@link EncoderOnlyRunner}, or its {@link DryRun}. */
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
        return runner(model, checkpoint, resolver, assembly, options, null);
    }

    /**
     * As {@link #runner(EncoderModel, Checkpoint, ModuleResolver, Assembly, RunnerOptions)}, each module's config
     * consulting {@code table} once as it is built.
     *
     * @param table the specialization registry; null for none
     */
    public static EncoderRunner runner(EncoderModel model, Checkpoint checkpoint, ModuleResolver resolver,
                                       Assembly assembly, RunnerOptions options, Specializations table) {
        Prepared p = prepare(model, checkpoint, assembly, options, table);
        BoundModel<EncoderModules> bound = BoundModel.resolve(resolver, assembly, p.kinds(), p.builder()::build);
        return new EncoderOnlyRunner(p.info(), model.plan(), bound.device(), bound.modules(), checkpoint);
    }

    /**
     * As {@link DecoderRunners#dryRun}: everything {@link #runner} does short of building a module, from the
     * checkpoint's headers alone. An encoder has no KV cache; its workspaces are those of one call over
     * {@code maxBatch} sequences of the full context ({@link EncoderWorkspaces}).
     *
     * @throws ModelLoadException naming the tensor and the shapes, or the kind without an acceptable candidate
     */
    public static DryRun dryRun(EncoderModel model, Checkpoint checkpoint, ModuleResolver resolver, Assembly assembly,
                                RunnerOptions options, Specializations table) {
        // no weight cache: filling it would read the tensors a dry run must not touch
        Prepared p = prepare(model, checkpoint, assembly, options.withWeightCache(null), table);
        Planned planned = Planned.resolve(resolver, assembly, p.kinds());
        EncoderModules modules = p.builder().build(PlannedFactories.of(planned.resolution(), planned.device()));
        return new DryRun(p.info(), modules.modules(), modules.specializations(), null,
                EncoderWorkspaces.of(modules.modules(), options.maxBatch(), p.info().maxSequenceLength()));
    }

    private record Prepared(ModelInfo info, Set<ModuleKind> kinds, EncoderBuilder builder) {
    }

    private static Prepared prepare(EncoderModel model, Checkpoint checkpoint, Assembly assembly, RunnerOptions options,
                                    Specializations table) {
        EncoderPlan plan = model.plan();
        Map<String, long[]> expected = EncoderExpectedWeights.of(plan);
        WeightMapping mapping = model.mapping().forCheckpoint(checkpoint.names());
        CheckpointCheck.check(plan.architecture(), Set.of(), checkpoint, mapping, expected);
        Weights weights = quantized(new MappedWeights(new CheckpointWeights(checkpoint), mapping, expected),
                expected.keySet(), checkpoint, options, headWeight(plan));

        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), plan.maxPositions()) : plan.maxPositions();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Set<ModuleKind> kinds = EncoderPlanVariants.kinds(plan);
        EncoderBuilder builder = new EncoderBuilder(plan, weights, mapping, config, maxSeq, assembly, table);
        ModelInfo info = new ModelInfo(plan.architecture(), plan.embedding().vocab(), plan.hidden(), plan.layers().size(),
                maxSeq, List.of(), null);
        return new Prepared(info, kinds, builder);
    }

    /**
     * {@code --quantize}: the linear matrices change format as modules first read them; {@code --weight-cache}:
     * quantised once, then mapped from the cache by later loads. {@code weights} itself without {@code --quantize}.
     *
     * @param headWeight the kit name of the matrix that gives logits (kept at Q8_0 under Q4_0), or null
     */
    static Weights quantized(Weights weights, Set<String> names, Checkpoint checkpoint, RunnerOptions options,
                             String headWeight) {
        Weights quantized = QuantizedLinearWeights.over(weights, options.quantize(), headWeight);
        return CachedLinearWeights.over(quantized, names, checkpoint, options.quantize(), headWeight,
                options.weightCache(), System.err::println);
    }

    /** The masked-LM head's decoder matrix (the token embedding when tied), or null without the head. */
    private static String headWeight(EncoderPlan plan) {
        MaskedLmHeadPlan head = plan.maskedLmHead();
        return head == null ? null : (head.tied() ? EncoderModules.EMBED_TOKENS : MaskedLmHeadPlan.DECODER) + ".weight";
    }

    /** The assembly an encoder checkpoint runs with: shipped, override, and what the plan needs of each kind. */
    static Assembly assembly(Assembly shipped, Assembly override, EncoderPlan plan) {
        return ModelAssembly.of(shipped, override, plan.architecture(), plan.parameterDType(),
                EncoderPlanVariants.kinds(plan), kind -> EncoderPlanVariants.of(kind, plan));
    }

    /** A dry run's resolution, every kind checked as a load checks it, and its device. */
    record Planned(Resolution resolution, Device device) {

        /** @throws ModelLoadException naming the first kind without an acceptable candidate */
        static Planned resolve(ModuleResolver resolver, Assembly assembly, Set<ModuleKind> kinds) {
            Resolution resolution = resolver.resolve(assembly, kinds);
            try {
                Device device = resolution.factory(ModuleKind.DEVICE, Device.class);
                for (ModuleKind kind : kinds) {
                    resolution.factory(kind, kind.serviceType());
                }
                return new Planned(resolution, device);
            } catch (UnresolvedException e) {
                throw new ModelLoadException(e.getMessage(), e);
            }
        }
    }
}
