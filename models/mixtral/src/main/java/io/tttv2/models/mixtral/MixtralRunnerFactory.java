package io.tttv2.models.mixtral;

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

/** Mixtral on the model kit (a mixture of experts in every sparse layer); its modules come from the resolver by the bundle's {@code assembly.json}. */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=mixtral",
        CandidateNamespace.SERVICE_NAME + "=tttv2/model/mixtral",
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class MixtralRunnerFactory extends DecoderModelFactory {

    @Activate
    public MixtralRunnerFactory(BundleContext context, @Reference ModuleResolver resolver, @Reference Assemblies assemblies) {
        super(context, resolver, assemblies);
    }

    @Override
    public Set<String> architectures() {
        return Set.of(MixtralPlans.ARCHITECTURE);
    }

    @Override
    protected DecoderModel describe(HfConfig config) {
        return MixtralPlans.of(config);
    }
}
