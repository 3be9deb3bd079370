package io.tttv2.core.modules.moe;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.RouterFactory;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link TopKRouter} as the core candidate {@value #NAME}. */
@Component(service = RouterFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + TopKRouterFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class TopKRouterFactory implements RouterFactory {

    public static final String NAME = "tttv2/router/topk";

    public TopKRouterFactory() {
    }

    @Override
    public Router create(RouterSpec spec, ModuleConfig config, Weights weights, Device device) {
        return new TopKRouter(spec, config, weights, device);
    }
}
