package io.tttv2.core.modules.embedding;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link TokenEmbedding} as the core candidate {@value #NAME}. */
@Component(service = EmbeddingFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + TokenEmbeddingFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class TokenEmbeddingFactory implements EmbeddingFactory {

    public static final String NAME = "tttv2/embedding/token";

    public TokenEmbeddingFactory() {
    }

    @Override
    public Embedding create(EmbeddingSpec spec, Weights weights, Device device) {
        return new TokenEmbedding(spec, ModuleConfig.defaults(), weights, device);
    }
}
