package io.tttv2.models.t5;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.EncoderDecoderModel;
import io.tttv2.models.kit.EncoderDecoderModelFactory;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * T5 encoder–decoders as a service, on the model kit: {@code generate} encodes the prompt and decodes, and
 * {@code validate} compares with HF. Modules come from the {@link ModuleResolver}, by the shipped assembly.
 */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=t5",
        CandidateNamespace.SERVICE_NAME + "=tttv2/model/t5",
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class T5RunnerFactory extends EncoderDecoderModelFactory {

    @Activate
    public T5RunnerFactory(BundleContext context, @Reference ModuleResolver resolver, @Reference Assemblies assemblies) {
        super(context, resolver, assemblies);
    }

    @Override
    public Set<String> architectures() {
        return Set.of(T5Plans.ARCHITECTURE);
    }

    @Override
    protected EncoderDecoderModel describe(HfConfig config) {
        return T5Plans.of(config);
    }
}
