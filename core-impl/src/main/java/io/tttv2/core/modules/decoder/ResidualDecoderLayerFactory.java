package io.tttv2.core.modules.decoder;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.ops.Device;
import java.util.Arrays;
import org.osgi.service.component.annotations.Component;

/**
 * Offers the residual decoder layers as the core candidate {@value #NAME}: one type per
 * {@link DecoderLayerSpec.ResidualPattern}, chosen here.
 */
@Component(service = DecoderLayerFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + ResidualDecoderLayerFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class ResidualDecoderLayerFactory implements DecoderLayerFactory {

    public static final String NAME = "tttv2/decoder-layer/pre-norm";

    public ResidualDecoderLayerFactory() {
    }

    @Override
    public DecoderLayer create(DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts, Device device) {
        if (spec.pattern() == null) {
            throw new IllegalArgumentException("decoder layer spec has no residual pattern, expected one of "
                    + Arrays.toString(DecoderLayerSpec.ResidualPattern.values()));
        }
        return switch (spec.pattern()) {
            case PRE_NORM -> new PreNormDecoderLayer(spec, config, parts, device);
            case PRE_AND_POST_NORM -> new PreAndPostNormDecoderLayer(spec, config, parts, device);
            case POST_NORM -> new PostNormDecoderLayer(spec, config, parts, device);
            case PARALLEL -> new ParallelDecoderLayer(spec, config, parts, device);
        };
    }
}
