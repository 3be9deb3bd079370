package io.tttv2.core.modules.attention;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.BiasedAttention;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.BiasedAttentionFactory;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link BiasedCachedAttention} as the core candidate {@value #NAME}. */
@Component(service = BiasedAttentionFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + BiasedCachedAttentionFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class BiasedCachedAttentionFactory implements BiasedAttentionFactory {

    public static final String NAME = "tttv2/biased-attention/sdpa";

    public BiasedCachedAttentionFactory() {
    }

    @Override
    public BiasedAttention create(AttentionSpec spec, ModuleConfig config, Weights weights, int layer, Device device) {
        return new BiasedCachedAttention(spec, config, weights, layer, device);
    }
}
