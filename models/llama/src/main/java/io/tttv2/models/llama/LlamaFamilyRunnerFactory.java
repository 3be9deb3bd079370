package io.tttv2.models.llama;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The Llama family as a service: takes its modules from the implementations the host offers and never
 * names an implementation class. Where a kind has several candidates, the target filter says which one
 * the family needs (an RMS norm, a gated MLP); DS configuration can re-target any reference.
 */
@Component(service = ModelRunnerFactory.class, property = "tttv2.model=llama-family")
public final class LlamaFamilyRunnerFactory implements ModelRunnerFactory {

    static final Set<String> ARCHITECTURES =
            Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM");

    private final ModuleFactorySet factories;

    /**
     * Decorators the host offers (validation, tracing), applied to every factory each time a model is built,
     * as the resolver will once models obtain their factories from it. With none, the factories are used as
     * they are.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<FactoryDecorator> decorators = List.of();

    @Activate
    public LlamaFamilyRunnerFactory(@Reference(target = "(tttv2.candidate.name=tttv2/norm/rms)") NormFactory norm,
                                    @Reference RotaryFactory rotary,
                                    @Reference AttentionFactory attention,
                                    @Reference(target = "(tttv2.candidate.name=tttv2/mlp/gated)") MlpFactory mlp,
                                    @Reference EmbeddingFactory embedding, @Reference LmHeadFactory lmHead,
                                    @Reference DecoderLayerFactory decoderLayer,
                                    @Reference(target = "(tttv2.device=cpu)") Device device) {
        this.factories = new ModuleFactorySet(norm, rotary, attention, mlp, embedding, lmHead, decoderLayer, device);
    }

    @Override
    public Set<String> architectures() {
        return ARCHITECTURES;
    }

    @Override
    public ModelRunner initialize(Path modelDirectory, RunnerOptions options) {
        LlamaFamilyConfig config = LlamaConfigReader.read(modelDirectory.resolve("config.json"));
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(modelDirectory);
        } catch (CheckpointFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        try {
            LlamaWeightShapes.check(config, checkpoint);
            return LlamaFamily.build(config, new CheckpointWeights(checkpoint), checkpoint,
                    factories.decoratedBy(decorators), options);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e instanceof CheckpointFormatException ? new ModelLoadException(e.getMessage(), e) : e;
        }
    }
}
