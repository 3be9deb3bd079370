package io.tttv2.cli.validate;

import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.util.ArrayList;
import java.util.List;

/** What validate computed, under the reference's key names, in the order computed (for {@code --dump}). */
final class ComputedOutputs {

    private record Output(String key, long[] shape, float[] f32, long[] i64) {
    }

    private final List<Output> outputs = new ArrayList<>();

    ComputedOutputs f32(String key, float[] values, int... shape) {
        outputs.add(new Output(key, longs(shape), values, null));
        return this;
    }

    ComputedOutputs i64(String key, long[] values, int... shape) {
        outputs.add(new Output(key, longs(shape), null, values));
        return this;
    }

    /** The F32 values computed under {@code key}, or null if none were. */
    float[] f32(String key) {
        return outputs.stream().filter(o -> o.key().equals(key) && o.f32() != null).map(Output::f32).findFirst().orElse(null);
    }

    void addTo(SafetensorsWriter writer) {
        for (Output o : outputs) {
            if (o.f32() != null) {
                writer.addF32(o.key(), o.shape(), o.f32());
            } else {
                writer.addI64(o.key(), o.shape(), o.i64());
            }
        }
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }
}
