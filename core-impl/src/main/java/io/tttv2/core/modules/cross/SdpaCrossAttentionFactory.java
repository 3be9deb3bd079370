package io.tttv2.core.modules.cross;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.CrossAttentionFactory;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link SdpaCrossAttention} as the core candidate {@value #NAME}. */
@Component(service = CrossAttentionFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + SdpaCrossAttentionFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class SdpaCrossAttentionFactory implements CrossAttentionFactory {

    public static final String NAME = "tttv2/cross-attention/sdpa";

    public SdpaCrossAttentionFactory() {
    }

    @Override
    public CrossAttention create(CrossAttentionSpec spec, ModuleConfig config, Weights weights, Device device) {
        return new SdpaCrossAttention(spec, config, weights, device);
    }
}
