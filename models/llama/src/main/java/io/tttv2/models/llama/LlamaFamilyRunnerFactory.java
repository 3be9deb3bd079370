package io.tttv2.models.llama;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderModelFactory;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Llama family as a service: Llama, Mistral, Qwen2 and Qwen3 on the model kit. It names no
 * implementation: its modules come from the {@link ModuleResolver}, by the assembly the bundle ships
 * ({@code assembly.json}), which a caller may override kind by kind.
 */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=llama-family",
        CandidateNamespace.SERVICE_NAME + "=tttv2/model/llama-family",
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class LlamaFamilyRunnerFactory extends DecoderModelFactory {

    private static final Set<String> ARCHITECTURES = Arrays.stream(LlamaVariant.values())
            .map(v -> v.architecture).collect(Collectors.toUnmodifiableSet());

    @Activate
    public LlamaFamilyRunnerFactory(BundleContext context, @Reference ModuleResolver resolver,
                                    @Reference Assemblies assemblies) {
        super(context, resolver, assemblies);
    }

    @Override
    public Set<String> architectures() {
        return ARCHITECTURES;
    }

    @Override
    protected DecoderModel describe(HfConfig config) {
        return LlamaPlans.of(config);
    }
}
