package io.tttv2.api.runner;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.modules.Module;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded model of any shape: a decoder-only LM ({@link ModelRunner}), an encoder ({@link EncoderRunner}) or an
 * encoder–decoder ({@link EncoderDecoderRunner}). Callers that take any model switch on the type.
 */
@ConsumerType
public interface Runner extends AutoCloseable {

    ModelInfo info();

    /** Every module of the model as a tree, for dumps: path → module (HF paths, e.g. encoder.layer.0.attention). */
    Map<String, Module> modules();

    /** What the specialization table answered for each module when it was built, by the paths of {@link #modules()}. */
    default Map<String, Specialization> specializations() {
        return Map.of();
    }

    @Override
    void close();
}
