package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.EncoderMemory;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.CrossAttentionReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A {@link CrossAttention} checked against {@link CrossAttentionReference}. The reference projects the
 * encoder's states itself, so {@link #prepare} keeps a copy of them beside each memory it hands out (for as
 * long as the request holds the memory); a memory prepared while validation was off has none, and its calls
 * record that the reference could not run.
 */
final class ValidatingCrossAttention extends ValidatingModule implements CrossAttention {

    /** What the reference needs of one request: its encoder output [S, encoderHidden] and S flags. */
    private record EncoderInput(double[] states, boolean[] keep) {
    }

    private final CrossAttention implementation;
    private final LazyReference<CrossAttentionReference> reference;
    private final Map<EncoderMemory, EncoderInput> inputs = Collections.synchronizedMap(new WeakHashMap<>());

    ValidatingCrossAttention(CrossAttention implementation, CrossAttentionSpec spec, Weights weights,
                             ValidationRegistry registry) {
        super(ModuleKind.CROSS_ATTENTION, implementation, Values.dtypeOf(weights, "q_proj.weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new CrossAttentionReference(spec, weights));
    }

    @Override
    public EncoderMemory prepare(Tensor encoderStates, boolean[] keep) {
        EncoderMemory memory = implementation.prepare(encoderStates, keep);
        if (validator.active()) {
            inputs.put(memory, new EncoderInput(Values.of(encoderStates), memory.keep().clone()));
        }
        return memory;
    }

    @Override
    public void prefill(Tensor x, EncoderMemory memory, Tensor out) {
        if (!validator.active()) {
            implementation.prefill(x, memory, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [T, hidden]
        int rows = x.dim(0);
        EncoderInput encoder = inputs.get(memory);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, rows, x.shape(),
                () -> implementation.prefill(x, memory, out), out::toFloatArray,
                () -> reference.get().apply(input, rows, repeat(encoder, rows), repeatKeep(encoder, rows)));
    }

    @Override
    public void decode(Tensor x, EncoderMemory[] memories, Tensor out) {
        if (!validator.active()) {
            implementation.decode(x, memories, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [B, hidden]
        int rows = x.dim(0);
        double[][] states = new double[memories.length][];
        boolean[][] keep = new boolean[memories.length][];
        for (int b = 0; b < memories.length; b++) {
            EncoderInput encoder = inputs.get(memories[b]);
            states[b] = encoder == null ? null : encoder.states();
            keep[b] = encoder == null ? null : encoder.keep();
        }
        validator.validate(capturedAt, ShapeBuckets.DECODE, rows, x.shape(),
                () -> implementation.decode(x, memories, out), out::toFloatArray,
                () -> reference.get().apply(input, rows, require(states), keep));
    }

    private static double[][] repeat(EncoderInput encoder, int rows) {
        double[][] states = new double[rows][];
        java.util.Arrays.fill(states, encoder == null ? null : encoder.states());
        return require(states);
    }

    private static boolean[][] repeatKeep(EncoderInput encoder, int rows) {
        boolean[][] keep = new boolean[rows][];
        java.util.Arrays.fill(keep, encoder == null ? null : encoder.keep());
        return keep;
    }

    private static double[][] require(double[][] states) {
        for (double[] s : states) {
            if (s == null) {
                throw new IllegalStateException("the encoder memory was prepared while validation was off: "
                        + "no encoder states for the reference");
            }
        }
        return states;
    }
}
