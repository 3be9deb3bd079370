package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** Rotary position embedding, tables computed once at construction; {@code out} may be {@code x}. */
@ConsumerType
public interface Rotary extends Module {

    /** cos table [maxPositions, rotaryDim/2] (attention scaling folded in). */
    Tensor cos();

    /** sin table [maxPositions, rotaryDim/2]. */
    Tensor sin();

    /** x, out [T, heads, headDim], one sequence at positions {@code start .. start+T-1}. */
    void prefill(Tensor x, int start, Tensor out);

    /** x, out [B, heads, headDim], row b at {@code positions[b]}. */
    void decode(Tensor x, int[] positions, Tensor out);
}
