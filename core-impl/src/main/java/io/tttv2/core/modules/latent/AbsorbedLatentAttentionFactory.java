package io.tttv2.core.modules.latent;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.LatentAttentionFactory;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/**
 * Offers {@link LatentAttention} (kv_b_proj absorbed, the latent cached) as the candidate {@value #NAME}: tier
 * contrib, functionally tested against the float64 reference and HF's DeepSeek-V3; no performance
 * certification yet (no benchmark), which core requires.
 */
@Component(service = LatentAttentionFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + AbsorbedLatentAttentionFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class AbsorbedLatentAttentionFactory implements LatentAttentionFactory {

    public static final String NAME = "tttv2/latent-attention/absorbed";

    public AbsorbedLatentAttentionFactory() {
    }

    @Override
    public Attention create(LatentAttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                            AttentionBackend backend, int layer, Device device) {
        return new LatentAttention(spec, config, weights, rotary, backend, layer, device);
    }
}
