package io.tttv2.models.phi3;

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

/** Phi-3 on the model kit; its modules come from the {@link ModuleResolver} by the shipped assembly. */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=phi3",
        CandidateNamespace.SERVICE_NAME + "=tttv2/model/phi3",
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class Phi3RunnerFactory extends DecoderModelFactory {

    @Activate
    public Phi3RunnerFactory(BundleContext context, @Reference ModuleResolver resolver,
                              @Reference Assemblies assemblies) {
        super(context, resolver, assemblies);
    }

    @Override
    public Set<String> architectures() {
        return Set.of(Phi3Plans.ARCHITECTURE);
    }

    @Override
    protected DecoderModel describe(HfConfig config) {
        return Phi3Plans.of(config);
    }
}
