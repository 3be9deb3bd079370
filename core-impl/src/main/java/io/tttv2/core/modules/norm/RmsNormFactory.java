package io.tttv2.core.modules.norm;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link RmsNorm} as the core candidate {@value #NAME}. */
@Component(service = NormFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + RmsNormFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class RmsNormFactory implements NormFactory {

    public static final String NAME = "tttv2/norm/rms";

    public RmsNormFactory() {
    }

    @Override
    public Norm create(NormSpec spec, Weights weights, Device device) {
        return new RmsNorm(spec, ModuleConfig.defaults(), weights, device);
    }
}
