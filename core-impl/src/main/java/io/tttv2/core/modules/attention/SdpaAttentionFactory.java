package io.tttv2.core.modules.attention;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link GroupedQueryAttention} as the core candidate {@value #NAME}. */
@Component(service = AttentionFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + SdpaAttentionFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class SdpaAttentionFactory implements AttentionFactory {

    public static final String NAME = "tttv2/attention/sdpa";

    public SdpaAttentionFactory() {
    }

    @Override
    public Attention create(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                            AttentionBackend backend, int layer, Device device) {
        return new GroupedQueryAttention(spec, config, weights, rotary, backend, layer, device);
    }
}
