package io.tttv2.core.modules.backend;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionBackendFactory;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link SdpaAttentionBackend} as the core candidate {@value #NAME}. */
@Component(service = AttentionBackendFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + SdpaAttentionBackendFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class SdpaAttentionBackendFactory implements AttentionBackendFactory {

    public static final String NAME = "tttv2/attention-backend/sdpa";

    public SdpaAttentionBackendFactory() {
    }

    @Override
    public AttentionBackend create(AttentionBackendSpec spec, ModuleConfig config, Device device) {
        return new SdpaAttentionBackend(spec, config, device);
    }
}
