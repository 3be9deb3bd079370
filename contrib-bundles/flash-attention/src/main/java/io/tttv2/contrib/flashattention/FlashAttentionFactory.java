package io.tttv2.contrib.flashattention;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link FlashAttention} as the contrib candidate {@value #NAME}, version {@value #VERSION}. */
@Component(service = AttentionFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + FlashAttentionFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=" + FlashAttentionFactory.VERSION,
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class FlashAttentionFactory implements AttentionFactory {

    public static final String NAME = "tttv2/attention/flash";
    /** The candidate's own version line (bnd.bnd declares the same), independent of the project's. */
    public static final String VERSION = "1.0.0";

    public FlashAttentionFactory() {
    }

    @Override
    public Attention create(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary, int layer,
                            Device device) {
        return new FlashAttention(spec, config, weights, rotary, layer, device);
    }
}
