package io.tttv2.models.gptneox;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderModelFactory;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * GPT-NeoX (Pythia, GPT-NeoX-20B) as a service, on the model kit. Its modules come from the
 * {@link ModuleResolver}, by the assembly the bundle ships ({@code assembly.json}).
 */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=gpt-neox",
        CandidateNamespace.SERVICE_NAME + "=tttv2/model/gpt-neox",
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class GptNeoxRunnerFactory extends DecoderModelFactory {

    @Activate
    public GptNeoxRunnerFactory(BundleContext context, @Reference ModuleResolver resolver,
                                @Reference Assemblies assemblies) {
        super(context, resolver, assemblies);
    }

    @Override
    public Set<String> architectures() {
        return Set.of(GptNeoxPlans.ARCHITECTURE);
    }

    @Override
    protected DecoderModel describe(HfConfig config) {
        return GptNeoxPlans.of(config);
    }
}
