package io.tttv2.core.modules.pooler;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.PoolerFactory;
import io.tttv2.api.modules.Pooler;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link TanhPooler} as the core candidate {@value #NAME}. */
@Component(service = PoolerFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + TanhPoolerFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class TanhPoolerFactory implements PoolerFactory {

    public static final String NAME = "tttv2/pooler/tanh";

    public TanhPoolerFactory() {
    }

    @Override
    public Pooler create(PoolerSpec spec, ModuleConfig config, Weights weights, Device device) {
        return new TanhPooler(spec, config, weights, device);
    }
}
