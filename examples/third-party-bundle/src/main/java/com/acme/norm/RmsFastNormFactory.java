package com.acme.norm;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/**
 * Offers {@link RmsFastNorm} as the candidate {@value #NAME}. The service properties repeat the manifest's
 * declaration (bnd.bnd): the host binds an assembly's choice to the service carrying that name and version.
 */
@Component(service = NormFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + RmsFastNormFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=community"})
public final class RmsFastNormFactory implements NormFactory {

    public static final String NAME = "acme/norm/rms-fast";

    public RmsFastNormFactory() {
    }

    @Override
    public Norm create(NormSpec spec, Weights weights, Device device) {
        if (spec.kind() != NormSpec.NormKind.RMS || spec.bias()) {
            throw new IllegalArgumentException(NAME + " builds RMS norms without bias, found " + spec);
        }
        return new RmsFastNorm(spec, ModuleConfig.defaults(), weights.get("weight"));
    }
}
