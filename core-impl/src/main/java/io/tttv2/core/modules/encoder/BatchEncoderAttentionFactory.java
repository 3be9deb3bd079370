package io.tttv2.core.modules.encoder;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.modules.EncoderAttention;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.EncoderAttentionFactory;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import org.osgi.service.component.annotations.Component;

/** Offers {@link BatchEncoderAttention} as the core candidate {@value #NAME}. */
@Component(service = EncoderAttentionFactory.class, property = {
        CandidateNamespace.SERVICE_NAME + "=" + BatchEncoderAttentionFactory.NAME,
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=core"})
public final class BatchEncoderAttentionFactory implements EncoderAttentionFactory {

    public static final String NAME = "tttv2/encoder-attention/sdpa";

    public BatchEncoderAttentionFactory() {
    }

    @Override
    public EncoderAttention create(EncoderAttentionSpec spec, ModuleConfig config, Weights weights, Device device) {
        return new BatchEncoderAttention(spec, config, weights, device);
    }
}
