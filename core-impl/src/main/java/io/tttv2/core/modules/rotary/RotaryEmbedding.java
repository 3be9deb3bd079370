package io.tttv2.core.modules.rotary;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.memory.ZeroedPages;
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
 *
 * <p>The rows are computed as positions are first reached, not all at construction: a context of 131072
 * positions is 8.4 M cos/sin evaluations (a 64-head-dim model), which took a large share of a fresh
 * process's model load although a short prompt reads a few rows. {@link #prefill}/{@link #decode} extend the
 * computed rows (doubling, at least {@value #MIN_ROWS}) before the kernel reads them; {@link #cos()} and
 * {@link #sin()} complete the tables first, so what a caller sees is the whole table, as before. A row is
 * computed by the same expression whenever it is computed, so the values do not depend on the order.
 */
public final class RotaryEmbedding implements Rotary {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Rows computed at the first extension: a short prompt and its first replies. Each growth at least doubles
     * the rows, so the work stays linear in the farthest position. (4096 first rows cost ≈ 40 ms of a fresh
     * process's first prefill on the 1B model, the loop still interpreted, for a 16-token prompt.)
     */
    static final int MIN_ROWS = 256;

    private final RotarySpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor cos;      // [maxPositions, rotaryDim/2] F32, attention factor folded in
    private final Tensor sin;      // [maxPositions, rotaryDim/2] F32
    private final RopeFrequencies frequencies;
    private final float attention;
    /** Rows 0 .. computed-1 of both tables hold their values; written under this object's lock. */
    private volatile int computed;

    public RotaryEmbedding(RotarySpec spec, ModuleConfig config, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.frequencies = RopeFrequencies.of(spec);
        this.attention = (float) frequencies.attentionFactor();
        int half = spec.rotaryDim() / 2;
        long bytes = 4L * spec.maxPositions() * half;
        // lazily committed zero pages: rows never reached cost no memory
        this.cos = Tensor.wrap(ZeroedPages.allocate(bytes), DType.F32, spec.maxPositions(), half);
        this.sin = Tensor.wrap(ZeroedPages.allocate(bytes), DType.F32, spec.maxPositions(), half);
    }

    /** Makes rows 0 .. {@code rows}-1 (at most the table's) hold their values. */
    private void computeRows(int rows) {
        if (rows > computed) {
            extend(Math.min(rows, spec.maxPositions()));
        }
    }

    private synchronized void extend(int rows) {
        int from = computed;
        if (rows <= from) {
            return;
        }
        int to = (int) Math.min(spec.maxPositions(), Math.max(rows, Math.max(2L * from, MIN_ROWS)));
        int half = spec.rotaryDim() / 2;
        MemorySegment cosRows = cos.segment();
        MemorySegment sinRows = sin.segment();
        for (int p = from; p < to; p++) {
            float[] inv = frequencies.invFreq(p);
            float position = p;
            for (int i = 0; i < half; i++) {
                float angle = position * round(inv[i], spec.frequencyDType()); // float32 product, as HF's matmul
                long at = (long) p * half + i;
                cosRows.setAtIndex(F32_LE, at, (float) Math.cos(angle) * attention);
                sinRows.setAtIndex(F32_LE, at, (float) Math.sin(angle) * attention);
            }
        }
        computed = to;     // volatile: the rows written above are visible to whoever reads this
    }

    /** Rows computed so far (for tests). */
    int computedRows() {
        return computed;
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
        computeRows(spec.maxPositions());
        return cos;
    }

    @Override
    public Tensor sin() {
        computeRows(spec.maxPositions());
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
        computeRows(start + t);
        ops.rotary(x, cos, sin, positions, spec.style(), out);
    }

    @Override
    public void decode(Tensor x, int[] positions, Tensor out) {
        checkHeads(x);
        int rows = 0;
        for (int p : positions) {
            rows = Math.max(rows, p + 1);     // a position outside the table is the kernel's to report
        }
        computeRows(rows);
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
