package io.tttv2.models.llama;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Llama family as a service. It names no implementation: its modules come from the
 * {@link ModuleResolver}, by the assembly the bundle ships ({@code assembly.json}: an RMS norm, a gated MLP,
 * the default elsewhere), which a caller may override kind by kind ({@link RunnerOptions#assembly()}).
 */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=llama-family",
        CandidateNamespace.SERVICE_NAME + "=" + LlamaFamilyRunnerFactory.MODEL,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class LlamaFamilyRunnerFactory implements ModelRunnerFactory {

    /** The model candidate this bundle declares (bnd.bnd). */
    static final String MODEL = "tttv2/model/llama-family";
    /** The bundle entry holding the family's assembly, named by the candidate's {@code assembly} attribute. */
    static final String ASSEMBLY_ENTRY = "assembly.json";
    static final Set<String> ARCHITECTURES =
            Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM");

    private final ModuleResolver resolver;
    private final Assembly shipped;

    @Activate
    public LlamaFamilyRunnerFactory(BundleContext context, @Reference ModuleResolver resolver,
                                    @Reference Assemblies assemblies) {
        this.resolver = resolver;
        this.shipped = shippedAssembly(context.getBundle(), assemblies);
    }

    @Override
    public Set<String> architectures() {
        return ARCHITECTURES;
    }

    @Override
    public Assembly assembly(Path modelDirectory, RunnerOptions options) {
        return LlamaAssembly.of(shipped, options.assembly(), LlamaConfigReader.read(modelDirectory.resolve("config.json")));
    }

    @Override
    public ModelRunner initialize(Path modelDirectory, RunnerOptions options) {
        LlamaFamilyConfig config = LlamaConfigReader.read(modelDirectory.resolve("config.json"));
        Assembly assembly = LlamaAssembly.of(shipped, options.assembly(), config);
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(modelDirectory);
        } catch (CheckpointFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        try {
            LlamaWeightShapes.check(config, checkpoint);
            return LlamaFamily.build(config, new CheckpointWeights(checkpoint), checkpoint, resolver, assembly, options);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e instanceof CheckpointFormatException ? new ModelLoadException(e.getMessage(), e) : e;
        }
    }

    private static Assembly shippedAssembly(Bundle bundle, Assemblies assemblies) {
        URL entry = bundle.getEntry(ASSEMBLY_ENTRY);
        String source = bundle.getSymbolicName() + "!/" + ASSEMBLY_ENTRY;
        if (entry == null) {
            throw new IllegalStateException(source + ": missing from the bundle");
        }
        try (InputStream in = entry.openStream()) {
            return assemblies.read(in, source);
        } catch (IOException e) {
            throw new IllegalStateException(source + ": cannot read: " + e.getMessage(), e);
        }
    }
}
