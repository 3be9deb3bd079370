package io.tttv2.core.modules.position;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.RelativePositionBiasFactory;
import io.tttv2.api.modules.RelativePositionBias;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link BucketedRelativePositionBias} as the core candidate {@value #NAME}. */
@Component(service = RelativePositionBiasFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + BucketedRelativePositionBiasFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class BucketedRelativePositionBiasFactory implements RelativePositionBiasFactory {

    public static final String NAME = "tttv2/relative-position-bias/t5";

    public BucketedRelativePositionBiasFactory() {
    }

    @Override
    public RelativePositionBias create(RelativePositionBiasSpec spec, ModuleConfig config, Weights weights,
                                       Device device) {
        return new BucketedRelativePositionBias(spec, config, weights, device);
    }
}
