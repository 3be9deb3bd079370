package io.tttv2.core.modules.moe;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.MoeFactory;
import io.tttv2.api.modules.Moe;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link SparseMoe} as the core candidate {@value #NAME}. */
@Component(service = MoeFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + SparseMoeFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class SparseMoeFactory implements MoeFactory {

    public static final String NAME = "tttv2/moe/sparse";

    public SparseMoeFactory() {
    }

    @Override
    public Moe create(MoeSpec spec, ModuleConfig config, Weights weights, Router router, Mlp shared, Device device) {
        return new SparseMoe(spec, config, weights, router, shared, device);
    }
}
