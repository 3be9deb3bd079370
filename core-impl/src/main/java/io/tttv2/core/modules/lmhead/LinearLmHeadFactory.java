package io.tttv2.core.modules.lmhead;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link LinearLmHead} as the core candidate {@value #NAME}. */
@Component(service = LmHeadFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + LinearLmHeadFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class LinearLmHeadFactory implements LmHeadFactory {

    public static final String NAME = "tttv2/lm-head/linear";

    public LinearLmHeadFactory() {
    }

    @Override
    public LmHead create(LmHeadSpec spec, ModuleConfig config, Weights weights, Device device) {
        return new LinearLmHead(spec, config, weights, device);
    }
}
