package io.tttv2.core.modules.mlp;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link PlainMlp} as the core candidate {@value #NAME}. */
@Component(service = MlpFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + PlainMlpFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class PlainMlpFactory implements MlpFactory {

    public static final String NAME = "tttv2/mlp/plain";

    public PlainMlpFactory() {
    }

    @Override
    public Mlp create(MlpSpec spec, ModuleConfig config, Weights weights, Device device) {
        return new PlainMlp(spec, config, weights, device);
    }
}
