package io.tttv2.core.modules.position;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.PositionEmbeddingFactory;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link LearnedPositionEmbedding} as the core candidate {@value #NAME}. */
@Component(service = PositionEmbeddingFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + LearnedPositionEmbeddingFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class LearnedPositionEmbeddingFactory implements PositionEmbeddingFactory {

    public static final String NAME = "tttv2/position-embedding/learned";

    public LearnedPositionEmbeddingFactory() {
    }

    @Override
    public PositionEmbedding create(PositionEmbeddingSpec spec, ModuleConfig config, Weights weights, Device device) {
        return new LearnedPositionEmbedding(spec, config, weights, device);
    }
}
