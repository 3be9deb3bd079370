package io.tttv2.contrib.flashattention;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionBackendFactory;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link FlashAttentionBackend} as the contrib candidate {@value #NAME}, version {@value #VERSION}. */
@Component(service = AttentionBackendFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + FlashAttentionBackendFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=" + FlashAttentionBackendFactory.VERSION,
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class FlashAttentionBackendFactory implements AttentionBackendFactory {

    public static final String NAME = "tttv2/attention-backend/flash";
    /** The candidate's own version line (bnd.bnd declares the same), independent of the project's. */
    public static final String VERSION = "2.0.0";

    public FlashAttentionBackendFactory() {
    }

    @Override
    public AttentionBackend create(AttentionBackendSpec spec, ModuleConfig config, Device device) {
        // the tiles load a key row and a value row of one width from two planes: latent caches (values read
        // from the keys, narrower) are not offered (the manifest does not list "latent-values")
        if (spec.splitWidths()) {
            throw new IllegalArgumentException(NAME + ": keys of " + spec.headDim() + " and values of "
                    + spec.valueDim() + " elements, expected one width (it does not run latent attention)");
        }
        return new FlashAttentionBackend(spec, config, device);
    }
}
