package io.tttv2.core.modules.rotary;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Rotary position embedding with its cos/sin tables computed once at construction. A row of the tables
 * is what HF's {@code LlamaRotaryEmbedding.forward} yields for that position: {@code freqs = position ·
 * inv_freq} in float32, cos and sin of that float32 angle (evaluated in double, then rounded), times the
 * attention factor in float32. {@code inv_freq} is first rounded to {@link RotarySpec#frequencyDType()}, as HF's
 * buffer is when a checkpoint is loaded in BF16/F16. The rope type is bound here; the per-token path only
 * indexes the tables.
 */
public final class RotaryEmbedding implements Rotary {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final RotarySpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor cos;      // [maxPositions, rotaryDim/2] F32, attention factor folded in
    private final Tensor sin;      // [maxPositions, rotaryDim/2] F32

    public RotaryEmbedding(RotarySpec spec, ModuleConfig config, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        RopeFrequencies frequencies = RopeFrequencies.of(spec);
        int half = spec.rotaryDim() / 2;
        int positions = spec.maxPositions();
        this.cos = Tensor.allocate(Arena.ofAuto(), DType.F32, positions, half);
        this.sin = Tensor.allocate(Arena.ofAuto(), DType.F32, positions, half);
        MemorySegment cosRows = cos.segment();
        MemorySegment sinRows = sin.segment();
        float attention = (float) frequencies.attentionFactor();
        for (int p = 0; p < positions; p++) {
            float[] inv = frequencies.invFreq(p);
            float position = p;
            for (int i = 0; i < half; i++) {
                float angle = position * round(inv[i], spec.frequencyDType()); // float32 product, as HF's matmul
                long at = (long) p * half + i;
                cosRows.setAtIndex(F32_LE, at, (float) Math.cos(angle) * attention);
                sinRows.setAtIndex(F32_LE, at, (float) Math.sin(angle) * attention);
            }
        }
    }

    /** {@code value} rounded to {@code dtype} (round to nearest even, as torch casts) and widened back. */
    static float round(float value, DType dtype) {
        return switch (dtype) {
            case F32 -> value;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(value));
            case BF16 -> {
                int bits = Float.floatToRawIntBits(value);
                bits += 0x7FFF + ((bits >>> 16) & 1);
                yield Float.intBitsToFloat(bits & 0xFFFF0000);
            }
            default -> throw new IllegalArgumentException("rotary frequencies in " + dtype);
        };
    }

    @Override
    public Tensor cos() {
        return cos;
    }

    @Override
    public Tensor sin() {
        return sin;
    }

    @Override
    public void prefill(Tensor x, int start, Tensor out) {
        checkHeads(x);
        int t = x.dim(0);
        if (start < 0 || start + t > spec.maxPositions()) {
            throw new IllegalArgumentException("rotary: positions " + start + " to " + (start + t - 1)
                    + " are outside the table of " + spec.maxPositions() + " positions");
        }
        int[] positions = new int[t];     // one small array per prefill chunk, not per token
        for (int i = 0; i < t; i++) {
            positions[i] = start + i;
        }
        ops.rotary(x, cos, sin, positions, spec.style(), out);
    }

    @Override
    public void decode(Tensor x, int[] positions, Tensor out) {
        checkHeads(x);
        ops.rotary(x, cos, sin, positions, spec.style(), out);
    }

    private void checkHeads(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != spec.headDim()) {
            throw new IllegalArgumentException("rotary: input has shape " + Arrays.toString(x.shape())
                    + ", expected [tokens, heads, " + spec.headDim() + "]");
        }
    }

    @Override
    public String candidate() {
        return RotaryEmbeddingFactory.NAME;
    }

    @Override
    public RotarySpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
