package io.tttv2.models.deepseekv3;

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

/** DeepSeek-V3 on the model kit (latent attention, dense then mixture-of-experts layers). */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=deepseek-v3",
        CandidateNamespace.SERVICE_NAME + "=tttv2/model/deepseek-v3",
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class DeepseekV3RunnerFactory extends DecoderModelFactory {

    @Activate
    public DeepseekV3RunnerFactory(BundleContext context, @Reference ModuleResolver resolver,
                                   @Reference Assemblies assemblies) {
        super(context, resolver, assemblies);
    }

    @Override
    public Set<String> architectures() {
        return Set.of(DeepseekV3Plans.ARCHITECTURE);
    }

    @Override
    protected DecoderModel describe(HfConfig config) {
        return DeepseekV3Plans.of(config);
    }
}
