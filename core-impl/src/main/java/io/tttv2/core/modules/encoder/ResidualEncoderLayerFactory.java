package io.tttv2.core.modules.encoder;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.EncoderLayerParts;
import io.tttv2.api.modules.EncoderLayerSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.EncoderLayerFactory;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link ResidualEncoderLayer} as the core candidate {@value #NAME}. */
@Component(service = EncoderLayerFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + ResidualEncoderLayerFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class ResidualEncoderLayerFactory implements EncoderLayerFactory {

    public static final String NAME = "tttv2/encoder-layer/residual";

    public ResidualEncoderLayerFactory() {
    }

    @Override
    public EncoderLayer create(EncoderLayerSpec spec, ModuleConfig config, EncoderLayerParts parts, Device device) {
        return new ResidualEncoderLayer(spec, config, parts, device);
    }
}
