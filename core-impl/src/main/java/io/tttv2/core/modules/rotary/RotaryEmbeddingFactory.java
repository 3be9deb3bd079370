package io.tttv2.core.modules.rotary;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link RotaryEmbedding} as the core candidate {@value #NAME}. */
@Component(service = RotaryFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + RotaryEmbeddingFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class RotaryEmbeddingFactory implements RotaryFactory {

    public static final String NAME = "tttv2/rotary/rope";

    public RotaryEmbeddingFactory() {
    }

    @Override
    public Rotary create(RotarySpec spec, Device device) {
        return new RotaryEmbedding(spec, ModuleConfig.defaults(), device);
    }
}
